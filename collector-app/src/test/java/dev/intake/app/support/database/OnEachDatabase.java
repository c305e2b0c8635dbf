package dev.intake.app.support.database;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that runs once on each {@link DatabaseKind}: on a fresh H2 file and on a fresh PostgreSQL database
 * (127.0.0.1:5432, user postgres, trust auth; {@code -Dintake.test.postgres} elsewhere), each migrated as Intake
 * migrates it and dropped afterwards. The test method, and the class's {@code @BeforeEach} methods, take the
 * {@link StoreTestBed} (or just the {@link DatabaseKind}) as a parameter; within one run they get the same bed.
 * Shown as {@code name [H2]} and {@code name [PostgreSQL]}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(EachDatabaseExtension.class)
public @interface OnEachDatabase {
}
