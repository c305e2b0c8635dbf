/**
 * Other systems using Intake's JSON API: OAuth 2.0 clients an admin registers (random id, a secret shown once and kept
 * only as a bcrypt hash, grants, scopes, allowed IP ranges), the tokens they get, and the check of a bearer token on
 * each API call. Tokens are opaque random strings kept as SHA-256 hashes in the database, so every node of a cluster
 * accepts them and deactivating or deleting a client ends them at once everywhere. The HTTP side (token,
 * introspection, revocation, discovery, the Clients page) lives in {@code dev.intake.app.web}.
 */
package dev.intake.app.apiclient;
