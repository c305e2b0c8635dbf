package dev.intake.app.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.imap.MessageSummary;
import dev.intake.app.ledger.MessageKey;
import dev.intake.app.mail.ParsedMail;
import dev.intake.app.spool.Spool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The window of messages parsed ahead of the one stored: its order and its two bounds. */
class ParseAheadTest {

    private final ParsePool pool = new ParsePool(2);
    /** UIDs in the order they were stored, each with how many messages had been added by then. */
    private final List<long[]> stored = new ArrayList<>();
    private int added;

    @AfterEach
    void closePool() {
        pool.close();
    }

    private final ParseAhead.Store store = (taken, mail) -> stored.add(new long[] {taken.message().uid(), added});

    /** A parse that finds nothing to keep: the window's behaviour does not depend on what a parse returns. */
    private static Optional<ParsedMail> parsedEmpty(MessageProcessor.Taken taken) {
        return Optional.empty();
    }

    @Test
    void storesInTheOrderTakenAndHoldsNoMoreThanItsCountAllows() {
        try (ParseAhead ahead = new ParseAhead(pool, 3, Long.MAX_VALUE)) {
            for (long uid = 1; uid <= 6; uid++) {
                add(ahead, taken(uid, 100), ParseAheadTest::parsedEmpty);
            }
            assertThat(uids()).containsExactly(1L, 2L, 3L);
            // UIDs are 1, 2, 3... in the order added: three were waiting ahead of each message when it was stored
            assertThat(stored).allSatisfy(s -> assertThat(s[1] - s[0]).as("waiting ahead").isEqualTo(3));
            ahead.storeAll(store);
        }
        assertThat(uids()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void holdsNoMoreRawBytesInMemoryThanItsBoundAndALargerMessageAlone() {
        try (ParseAhead ahead = new ParseAhead(pool, 100, 10_000)) {
            add(ahead, taken(1, 4_000), ParseAheadTest::parsedEmpty);
            add(ahead, taken(2, 4_000), ParseAheadTest::parsedEmpty);
            assertThat(uids()).as("8,000 bytes held").isEmpty();
            add(ahead, taken(3, 4_000), ParseAheadTest::parsedEmpty);
            assertThat(uids()).as("12,000 bytes: the oldest is stored").containsExactly(1L);
            add(ahead, taken(4, 30_000), ParseAheadTest::parsedEmpty);
            assertThat(uids()).as("a message over the bound waits alone").containsExactly(1L, 2L, 3L);
            add(ahead, taken(5, 10), ParseAheadTest::parsedEmpty);
            assertThat(uids()).containsExactly(1L, 2L, 3L, 4L);
            ahead.storeAll(store);
        }
        assertThat(uids()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void parsesTheMessagesAheadWhileTheOldestIsNotStoredYet() throws InterruptedException {
        CountDownLatch allParsing = new CountDownLatch(4);
        Set<Long> parsed = ConcurrentHashMap.newKeySet();
        Function<MessageProcessor.Taken, Optional<ParsedMail>> parse = t -> {
            parsed.add(t.message().uid());
            allParsing.countDown();
            return Optional.empty();
        };
        try (ParseAhead ahead = new ParseAhead(pool, 8, Long.MAX_VALUE)) {
            for (long uid = 1; uid <= 4; uid++) {
                add(ahead, taken(uid, 100), parse);
            }
            assertThat(allParsing.await(10, TimeUnit.SECONDS)).as("every message parsed on the pool").isTrue();
            assertThat(parsed).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
            assertThat(stored).as("nothing stored while the window has room").isEmpty();
            ahead.storeAll(store);
        }
        assertThat(uids()).containsExactly(1L, 2L, 3L, 4L);
    }

    private void add(ParseAhead ahead, MessageProcessor.Taken taken,
            Function<MessageProcessor.Taken, Optional<ParsedMail>> parse) {
        added++;
        ahead.add(taken, parse, store);
    }

    private List<Long> uids() {
        return stored.stream().map(s -> s[0]).toList();
    }

    private static MessageProcessor.Taken taken(long uid, int rawBytes) {
        MessageSummary summary = new MessageSummary(uid, rawBytes, false, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                Optional.empty());
        return new MessageProcessor.Taken(new MessageKey("m", "INBOX", 1, uid), summary, Optional.empty(),
                Optional.of(Spool.of(new byte[rawBytes])));
    }
}
