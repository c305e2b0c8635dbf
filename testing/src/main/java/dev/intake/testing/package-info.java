/**
 * Intake's test kit: the fakes and helpers every module's tests use (and the benchmark, which runs them).
 *
 * <h2>Names</h2>
 *
 * One scheme for every module's test support, so that a name says what a thing is:
 *
 * <ul>
 *   <li>{@code Fake*}: a stand-in for a server that is not under test, run in the test's JVM on a loopback port and
 *       speaking the real protocol: it keeps the rules the real one enforces, can be told to fail, and records what
 *       it received. {@link dev.intake.testing.FakeAuthorizationServer} (Entra, Google),
 *       {@link dev.intake.testing.FakeCallbackServer} (a redirect URI), collector-app's {@code FakeImapServer}
 *       (what GreenMail cannot do) and {@code FakeWebSite} (another site, for the browser tests).</li>
 *   <li>{@code *Fixture}: a running Intake with all its surroundings (configuration file, fakes, GreenMail, database),
 *       driven from outside as an operator and an admin would: collector-app's {@code IntakeFixture} (in the test's
 *       JVM) and {@code ProcessFixture} (nodes as processes, from the built jar).</li>
 *   <li>{@code *TestBed}: one part under test, without the app, built as the app builds it and wired to what it
 *       needs: {@link dev.intake.testing.provider.ProviderTestBed} with the provider modules' {@code EntraTestBed}
 *       and {@code GoogleTestBed}; collector-app's {@code StoreTestBed} (a migrated H2 or PostgreSQL database for
 *       the stores); config's {@code ConfigTestBed}.</li>
 *   <li>{@code *Contract}: an abstract test stating what every implementation of an interface must do; each
 *       implementation's test extends it with its test bed. {@link dev.intake.testing.provider.IdentityProviderContract}.</li>
 *   <li>{@code *Extension}, with the {@code On*} annotation that applies it: a JUnit extension, such as
 *       collector-app's {@code EachDatabaseExtension} behind {@code @OnEachDatabase} (a test on H2 and on
 *       PostgreSQL).</li>
 *   <li>{@code Test*}: something real made for tests rather than a stand-in: {@link dev.intake.testing.TestCertificates}
 *       (a real key pair and stores), collector-app's {@code TestImapsSetup} (GreenMail over IMAPS),
 *       {@code TestMailbox}, {@code TestStores}, {@code TestTickets}.</li>
 *   <li>Plain nouns are tools that do one thing for a test and know nothing of Intake's design:
 *       {@link dev.intake.testing.Browser}, {@link dev.intake.testing.CapturedLogs},
 *       {@link dev.intake.testing.OutboundConnections}, {@link dev.intake.testing.ImapTlsRelay}, {@link dev.intake.testing.PostgresDatabase} (a throwaway
 *       database), {@link dev.intake.testing.TcpProxy}, {@link dev.intake.testing.MutableClock},
 *       {@link dev.intake.testing.Mails}, {@link dev.intake.testing.FormEncoding}.</li>
 * </ul>
 *
 * <h2>Where things live</h2>
 *
 * What more than one module needs is here, in main sources, and the modules depend on it at test scope (the
 * benchmark at compile scope). This module stays below the app: it may use the provider API and the configuration,
 * never collector-app, so what needs the app's classes (the database, the stores, GreenMail set up for the app's IMAP
 * code) stays in collector-app's test sources. No product code depends on this package (ArchitectureTest).
 */
package dev.intake.testing;
