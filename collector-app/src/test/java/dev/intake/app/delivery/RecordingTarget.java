package dev.intake.app.delivery;

import dev.intake.config.DeliveryTargetConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The SPI's fake, for the outbox's tests: it records every delivery it is given, creates remote items by delivery
 * id (an item delivered again under the same id is found, not created twice, as the real targets' lookup by marker
 * does), and fails with the kinds a test queues, for the items a test chooses.
 */
public final class RecordingTarget implements DeliveryTarget {

    /** A delivery as the target got it, with the content of an attachment read. */
    record Received(Delivery delivery, Optional<String> content) {
    }

    private final DeliveryTargetConfig config;
    private final Set<ItemKind> accepted;
    final List<Received> received = new CopyOnWriteArrayList<>();
    /** Remote items by delivery id: what the "helpdesk" holds. */
    public final Map<String, String> created = new ConcurrentHashMap<>();
    private final Deque<DeliveryFailure> failures = new ArrayDeque<>();
    private volatile Predicate<Delivery> failOnly = d -> true;
    private final AtomicInteger ids = new AtomicInteger(100);
    volatile boolean closed;

    public RecordingTarget(DeliveryTargetConfig config, Set<ItemKind> accepted) {
        this.config = config;
        this.accepted = accepted;
    }

    DeliveryTargetConfig config() {
        return config;
    }

    /** The next deliveries matching {@code which} fail with these, one each, in order. */
    public synchronized RecordingTarget failNext(Predicate<Delivery> which, DeliveryFailure... next) {
        this.failOnly = which;
        failures.addAll(List.of(next));
        return this;
    }

    public RecordingTarget failNext(DeliveryFailure... next) {
        return failNext(d -> true, next);
    }

    public static DeliveryFailure failure(DeliveryFailure.Kind kind, String message) {
        return new DeliveryFailure(kind, message);
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean accepts(ItemKind kind) {
        return accepted.contains(kind);
    }

    @Override
    public Delivered deliver(Delivery delivery) throws DeliveryFailure {
        Optional<String> content = Optional.empty();
        if (delivery instanceof Delivery.NewAttachment a) {
            try (InputStream in = a.content().open()) {
                content = Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        received.add(new Received(delivery, content));
        DeliveryFailure failure = nextFailure(delivery);
        if (failure != null && failure.kind() == DeliveryFailure.Kind.UNCERTAIN) {
            // Sent, but the answer is lost: the remote item exists.
            created.computeIfAbsent(delivery.deliveryId(), id -> Integer.toString(ids.incrementAndGet()));
            throw failure;
        }
        if (failure != null) {
            throw failure;
        }
        String id = created.computeIfAbsent(delivery.deliveryId(), d -> Integer.toString(ids.incrementAndGet()));
        return new Delivered(id, Optional.of("https://helpdesk.example/" + name() + "/" + id));
    }

    private synchronized DeliveryFailure nextFailure(Delivery delivery) {
        if (failures.isEmpty() || !failOnly.test(delivery)) {
            return null;
        }
        return failures.poll();
    }

    public List<Delivery> deliveries() {
        return received.stream().map(Received::delivery).toList();
    }

    @Override
    public void close() {
        closed = true;
    }
}
