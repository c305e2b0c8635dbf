package dev.intake.app.reconcile;

import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** The last check of each mailbox and the messages it found without a record. */
public final class ReconciliationStore {

    private final Jdbi jdbi;

    public ReconciliationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Replaces a mailbox's findings with a finished check's. */
    public void save(Reconciliation r) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM reconciliation WHERE mailbox_id = :m").bind("m", r.mailboxId()).execute();
            h.createUpdate("INSERT INTO reconciliation (mailbox_id, checked_at, received_since, messages_checked, unrecorded, "
                            + "error) VALUES (:m, :at, :since, :checked, :unrecorded, :error)")
                    .bind("m", r.mailboxId()).bind("at", r.checkedAt()).bind("since", r.since())
                    .bind("checked", r.checked()).bind("unrecorded", r.unrecorded().size())
                    .bind("error", r.error().orElse(null)).execute();
            if (r.error().isPresent()) {
                return; // an unfinished check says nothing about the folders: the earlier findings stay
            }
            h.createUpdate("DELETE FROM unrecorded_message WHERE mailbox_id = :m").bind("m", r.mailboxId()).execute();
            var insert = h.prepareBatch("INSERT INTO unrecorded_message (mailbox_id, folder, uid_validity, uid, message_id, "
                    + "subject, sender, received_at, size_bytes, found_at) VALUES (:m, :f, :v, :u, :mid, :s, :from, :rcv, "
                    + ":size, :at)");
            for (UnrecordedMessage u : r.unrecorded()) {
                insert.bind("m", u.mailboxId()).bind("f", u.folder()).bind("v", u.uidValidity()).bind("u", u.uid())
                        .bind("mid", u.messageId().map(id -> cut(id, 998)).orElse(null)).bind("s", cut(u.subject(), 2000))
                        .bind("from", cut(u.sender(), 320)).bind("rcv", u.receivedAt().orElse(null))
                        .bind("size", u.size()).bind("at", r.checkedAt()).add();
            }
            if (!r.unrecorded().isEmpty()) {
                insert.execute();
            }
        });
    }

    /** The last check of a mailbox, with what it found. */
    public Optional<Reconciliation> last(String mailboxId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM reconciliation WHERE mailbox_id = :m").bind("m", mailboxId)
                .map((rs, ctx) -> new Reconciliation(mailboxId, rs.getTimestamp("checked_at").toInstant(),
                        rs.getTimestamp("received_since").toInstant(), rs.getInt("messages_checked"), unrecorded(mailboxId),
                        Optional.ofNullable(rs.getString("error"))))
                .findOne());
    }

    /** The messages without a record that the last checks found, per mailbox. */
    public Map<String, Integer> unrecordedCounts() {
        return jdbi.withHandle(h -> h.createQuery("SELECT mailbox_id, COUNT(*) AS n FROM unrecorded_message GROUP BY mailbox_id")
                .map((rs, ctx) -> Map.entry(rs.getString("mailbox_id"), rs.getInt("n"))).list())
                .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public List<UnrecordedMessage> unrecorded(String mailboxId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM unrecorded_message WHERE mailbox_id = :m ORDER BY folder, uid")
                .bind("m", mailboxId)
                .map((rs, ctx) -> new UnrecordedMessage(mailboxId, rs.getString("folder"), rs.getLong("uid_validity"),
                        rs.getLong("uid"), Optional.ofNullable(rs.getString("message_id")), nullToEmpty(rs.getString("subject")),
                        nullToEmpty(rs.getString("sender")),
                        Optional.ofNullable(rs.getTimestamp("received_at")).map(Timestamp::toInstant), rs.getLong("size_bytes")))
                .list());
    }

    /** The messages are back in the collected folder: they are no longer unrecorded in their old one. */
    public void forget(String mailboxId, String folder, Collection<Long> uids) {
        if (uids.isEmpty()) {
            return;
        }
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM unrecorded_message WHERE mailbox_id = :m AND folder = :f AND uid IN (<uids>)")
                    .bind("m", mailboxId).bind("f", folder).bindList("uids", List.copyOf(uids)).execute();
            h.createUpdate("UPDATE reconciliation SET unrecorded = (SELECT COUNT(*) FROM unrecorded_message "
                    + "WHERE mailbox_id = :m) WHERE mailbox_id = :m").bind("m", mailboxId).execute();
        });
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
