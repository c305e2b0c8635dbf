package dev.intake.app.delivery;

/** Told of every attempt's outcome, for the metrics. */
@FunctionalInterface
public interface DeliveryObserver {

    DeliveryObserver NONE = (target, outcome) -> {
    };

    /** @param outcome delivered, retry, uncertain, rejected, unauthorized, dead or skipped */
    void attempted(String target, String outcome);
}
