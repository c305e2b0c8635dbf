package dev.intake.config;

import java.nio.file.Path;

/**
 * What every section reader of one load shares.
 *
 * @param baseDir the config file's directory: relative paths in the file start here
 */
record ReadContext(Problems problems, SecretReferences references, SourceFiles sources, Path baseDir) {
}
