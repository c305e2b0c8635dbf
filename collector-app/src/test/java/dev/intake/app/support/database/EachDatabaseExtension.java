package dev.intake.app.support.database;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs each {@link OnEachDatabase} test once per {@link DatabaseKind}, and resolves its {@link StoreTestBed} (opened
 * on first use in the run, closed with the run's extension context when the test is done).
 */
public final class EachDatabaseExtension implements TestTemplateInvocationContextProvider {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EachDatabaseExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, OnEachDatabase.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        return Arrays.stream(DatabaseKind.values()).map(OnDatabase::new);
    }

    /** One run of the test, on one kind of database. */
    private record OnDatabase(DatabaseKind kind) implements TestTemplateInvocationContext {

        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + kind.displayName() + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new BedResolver(kind));
        }
    }

    /** Gives the run's {@link StoreTestBed}, or its {@link DatabaseKind}. */
    private record BedResolver(DatabaseKind kind) implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == StoreTestBed.class || type == DatabaseKind.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (parameter.getParameter().getType() == DatabaseKind.class) {
                return kind;
            }
            // the method-level context: shared by the @BeforeEach methods and the test of this run, and closed after it
            return context.getStore(NAMESPACE).computeIfAbsent(StoreTestBed.class, k -> StoreTestBed.open(kind),
                    StoreTestBed.class);
        }
    }
}
