package gateway.bridge.events;

import gateway.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The call events not yet delivered, on disk: one file per event named by its place in the queue ({@code
 * 0000000000000000042.json}), holding the exact body to POST. An event is written to a temporary file, forced to
 * disk, renamed into place and the directory forced ({@link AtomicFiles}), so once {@link #append} returns it
 * survives a crash; opening
 * the directory again resumes from what is there, oldest first. Sender thread only.
 */
final class EventQueue {

    private static final String SUFFIX = ".json";
    /** Digits of a file's number: a long's, so names sort as numbers. */
    private static final String NAME_FORMAT = "%019d" + SUFFIX;

    private final Path dir;
    private final Deque<Long> numbers = new ArrayDeque<>();
    private long next;

    /** One event waiting: its place in the queue and the body to send. */
    record Queued(long number, byte[] body) {
    }

    /** Opens (creating it if needed) the queue in {@code dir}: what a previous run left is queued again, in order. */
    EventQueue(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(entry);   // a crash before the rename: the event never counted as queued
                } else if (name.endsWith(SUFFIX)) {
                    Long number = number(name);
                    if (number != null) {
                        found.add(number);
                    }
                }
            }
        }
        Collections.sort(found);
        numbers.addAll(found);
        next = found.isEmpty() ? 1 : found.getLast() + 1;
    }

    /** Writes {@code body} as the newest event and forces it to disk; returns its number. */
    long append(byte[] body) throws IOException {
        long number = next++;
        AtomicFiles.write(file(number), body);
        numbers.addLast(number);
        return number;
    }

    /** The oldest event, read from its file; null when the queue is empty. */
    Queued head() throws IOException {
        Long number = numbers.peekFirst();
        return number == null ? null : new Queued(number, Files.readAllBytes(file(number)));
    }

    /** Removes the event {@code number} (delivered or dropped). */
    void remove(long number) throws IOException {
        numbers.remove(number);
        Files.deleteIfExists(file(number));
    }

    /** The oldest event's number other than {@code except}; -1 if there is none. */
    long oldestExcept(long except) {
        for (long number : numbers) {
            if (number != except) {
                return number;
            }
        }
        return -1;
    }

    /** Events waiting. */
    int size() {
        return numbers.size();
    }

    private Path file(long number) {
        return dir.resolve(String.format(Locale.ROOT, NAME_FORMAT, number));
    }

    private static Long number(String name) {
        String digits = name.substring(0, name.length() - SUFFIX.length());
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
