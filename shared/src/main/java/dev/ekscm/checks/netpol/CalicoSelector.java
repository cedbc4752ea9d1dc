package dev.ekscm.checks.netpol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The subset of Calico's selector language the models understand: {@code all()}, an empty
 * selector (= all), {@code has(k)}, {@code !has(k)}, {@code k == 'v'}, {@code k != 'v'},
 * {@code k in {'a','b'}}, {@code k not in {'a','b'}}, joined by {@code &&}. Anything else
 * ({@code ||}, parentheses, {@code global()}, functions) is kept as unparseable: it selects
 * nothing, and {@link #problem()} says why, so that a verdict never rests on a guess.
 *
 * <p>As in Calico, {@code k != 'v'} and {@code k not in {…}} also match objects without label k.
 */
public final class CalicoSelector {
    private static final CalicoSelector ALL = new CalicoSelector("all()", labels -> true, Optional.empty());

    private final String text;
    private final Predicate<Map<String, String>> predicate;
    private final Optional<String> problem;

    private CalicoSelector(String text, Predicate<Map<String, String>> predicate, Optional<String> problem) {
        this.text = text;
        this.predicate = predicate;
        this.problem = problem;
    }

    public static CalicoSelector all() {
        return ALL;
    }

    /** Parses a selector; null or blank is {@code all()}. Never throws. */
    public static CalicoSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        try {
            var parser = new Parser(text);
            Predicate<Map<String, String>> p = parser.parseExpression();
            return new CalicoSelector(text.trim(), p, Optional.empty());
        } catch (IllegalArgumentException e) {
            return new CalicoSelector(text.trim(), labels -> false, Optional.of(e.getMessage()));
        }
    }

    public boolean matches(Map<String, String> labels) {
        return predicate.test(labels);
    }

    public boolean parsed() {
        return problem.isEmpty();
    }

    /** Why the selector was not understood (it then selects nothing). */
    public Optional<String> problem() {
        return problem;
    }

    public boolean selectsAll() {
        return this == ALL || text.replace(" ", "").equals("all()");
    }

    @Override
    public String toString() {
        return text;
    }

    /** Recursive descent over the selector text; throws IllegalArgumentException with the reason. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Predicate<Map<String, String>> parseExpression() {
            var terms = new ArrayList<Predicate<Map<String, String>>>();
            terms.add(parseTerm());
            skipSpace();
            while (pos < s.length()) {
                if (s.startsWith("&&", pos)) {
                    pos += 2;
                    terms.add(parseTerm());
                    skipSpace();
                } else if (s.startsWith("||", pos)) {
                    throw fail("'||' is not supported");
                } else {
                    throw fail("unexpected '" + s.charAt(pos) + "'");
                }
            }
            List<Predicate<Map<String, String>>> all = List.copyOf(terms);
            return labels -> all.stream().allMatch(t -> t.test(labels));
        }

        private Predicate<Map<String, String>> parseTerm() {
            skipSpace();
            if (pos >= s.length()) {
                throw fail("expected a term");
            }
            if (s.charAt(pos) == '(') {
                throw fail("parentheses are not supported");
            }
            boolean negated = false;
            if (s.charAt(pos) == '!') {
                negated = true;
                pos++;
                skipSpace();
            }
            String word = key();
            skipSpace();
            if (word.equals("all") && peek('(')) {
                expect('(');
                skipSpace();
                expect(')');
                if (negated) {
                    throw fail("'!all()' is not supported");
                }
                return labels -> true;
            }
            if (word.equals("has") && peek('(')) {
                expect('(');
                skipSpace();
                String k = key();
                skipSpace();
                expect(')');
                return negated ? labels -> !labels.containsKey(k) : labels -> labels.containsKey(k);
            }
            if (negated) {
                throw fail("'!' is only supported before has(...)");
            }
            if (peek('(')) {
                throw fail("function '" + word + "()' is not supported");
            }
            if (s.startsWith("==", pos)) {
                pos += 2;
                String v = string();
                return labels -> v.equals(labels.get(word));
            }
            if (s.startsWith("!=", pos)) {
                pos += 2;
                String v = string();
                return labels -> !v.equals(labels.get(word));
            }
            if (s.startsWith("not", pos)) {
                pos += 3;
                skipSpace();
                if (!s.startsWith("in", pos)) {
                    throw fail("expected 'in' after 'not'");
                }
                pos += 2;
                Set<String> values = set();
                return labels -> {
                    String v = labels.get(word);
                    return v == null || !values.contains(v);
                };
            }
            if (s.startsWith("in", pos)) {
                pos += 2;
                Set<String> values = set();
                return labels -> {
                    String v = labels.get(word);
                    return v != null && values.contains(v);
                };
            }
            throw fail("expected ==, !=, in or not in after '" + word + "'");
        }

        private Set<String> set() {
            skipSpace();
            expect('{');
            var values = new java.util.HashSet<String>();
            skipSpace();
            if (peek('}')) {
                pos++;
                return Set.copyOf(values);
            }
            while (true) {
                values.add(string());
                skipSpace();
                if (peek(',')) {
                    pos++;
                    continue;
                }
                expect('}');
                return Set.copyOf(values);
            }
        }

        private String key() {
            int start = pos;
            while (pos < s.length() && isKeyChar(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw fail(pos < s.length() ? "unexpected '" + s.charAt(pos) + "'" : "expected a label key");
            }
            return s.substring(start, pos);
        }

        private String string() {
            skipSpace();
            if (pos >= s.length() || (s.charAt(pos) != '\'' && s.charAt(pos) != '"')) {
                throw fail("expected a quoted value");
            }
            char quote = s.charAt(pos++);
            int end = s.indexOf(quote, pos);
            if (end < 0) {
                throw fail("unterminated string");
            }
            String v = s.substring(pos, end);
            pos = end + 1;
            return v;
        }

        private static boolean isKeyChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/';
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw fail("expected '" + c + "'");
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException fail(String why) {
            return new IllegalArgumentException(why + " at position " + pos + " of \"" + s.trim() + "\"");
        }
    }
}
