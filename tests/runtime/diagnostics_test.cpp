// Diagnostics: the order in which they are rendered.
#include <doctest/doctest.h>

#include "runtime/diagnostics.hpp"
#include "runtime/messages.hpp"

using namespace secretc;

TEST_CASE("a note is rendered after the error it belongs to, even when it points earlier") {
  SourceSet sources;
  const std::uint32_t file = sources.add("case.fact", "a = 1\nb = 2\na = 3\n");
  Diagnostics diags;
  diags.error({file, 3, 1}, "`a` is given twice; keep one line for it");
  diags.note({file, 1, 1}, "`a` was first given here");
  diags.error({file, 2, 1}, "another error");
  const std::vector<Diagnostic> sorted = diags.sorted();
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].message == "another error");
  CHECK(sorted[1].message == "`a` is given twice; keep one line for it");
  CHECK(sorted[2].message == "`a` was first given here");
}

TEST_CASE("every catalogue message is worded in both languages, diagnostics lowercase, with the same arguments") {
  for (std::size_t i = 0; i < static_cast<std::size_t>(secretc::Msg::Count_); ++i) {
    const auto id = static_cast<secretc::Msg>(i);
    const std::string_view en = secretc::message_template(id, secretc::TextLang::English);
    const std::string_view fr = secretc::message_template(id, secretc::TextLang::French);
    CAPTURE(en);
    CAPTURE(fr);
    REQUIRE(!en.empty());
    REQUIRE(!fr.empty());
    CHECK(en != fr);
    if (secretc::message_is_sentence(id)) {
      // A sentence of the interview closes, or not, with a full stop in both languages.
      CHECK((en.back() == '.') == (fr.back() == '.'));
    } else {
      // A diagnostic: lowercase, no final period.
      for (const std::string_view text : {en, fr}) {
        CHECK(!(text.front() >= 'A' && text.front() <= 'Z'));
        CHECK(text.back() != '.');
      }
    }
    // The same placeholders: a translation can neither lose an argument nor invent one.
    for (int k = 0; k < 6; ++k) {
      const std::string placeholder = "{" + std::to_string(k) + "}";
      CHECK((en.find(placeholder) == std::string_view::npos) == (fr.find(placeholder) == std::string_view::npos));
    }
  }
}

TEST_CASE("a catalogue message renders in the reader's language, with French severity words") {
  secretc::SourceSet sources;
  const std::uint32_t file = sources.add("a.fact", "x = 1\n");
  secretc::Diagnostics diags;
  diags.error({file, 1, 1}, secretc::msg(secretc::Msg::CaseUnknownFact, "x"));
  CHECK(secretc::render_all(diags, sources, secretc::TextLang::English).find("a.fact:1:1: error: unknown fact `x`") !=
        std::string::npos);
  CHECK(secretc::render_all(diags, sources, secretc::TextLang::French).find("a.fact:1:1: erreur: fait inconnu `x`") !=
        std::string::npos);
  // The English text stays available to programs and tests that read `message`.
  CHECK(diags.sorted().front().message == "unknown fact `x`");
}

TEST_CASE("every catalogue template formats in both languages, and its id is a kind that names it back") {
  for (std::size_t i = 0; i < static_cast<std::size_t>(secretc::Msg::Count_); ++i) {
    const auto id = static_cast<secretc::Msg>(i);
    const std::string_view name = secretc::message_name(id);
    CAPTURE(name);
    REQUIRE(secretc::message_named(name) == id);
    // A brace the catalogue forgot to double (`{ … }` instead of `{{ … }}`), or a placeholder past {5}
    // (which the wording test above does not compare), would throw here, not in front of a user.
    secretc::Message m{id, {"a0", "a1", "a2", "a3", "a4", "a5"}};
    CHECK_NOTHROW((void)secretc::message_text(m, secretc::TextLang::English));
    CHECK_NOTHROW((void)secretc::message_text(m, secretc::TextLang::French));
  }
}

TEST_CASE("a diagnostic about a whole line renders without a column and without a caret") {
  secretc::SourceSet sources;
  const std::uint32_t file = sources.add("r.rules", "rule r\n");
  secretc::Diagnostics diags;
  diags.warning({file, 1, 0}, secretc::msg(secretc::Msg::CoverageNotShownFiring, "r"));
  CHECK(secretc::render_all(diags, sources) == "r.rules:1: warning: no test shows the rule `r` firing\n");
  CHECK(secretc::render_all(diags, sources, secretc::TextLang::French) ==
        "r.rules:1: avertissement: aucun test ne montre la règle `r` appliquée\n");
  CHECK(diags.all().front().kind() == secretc::Msg::CoverageNotShownFiring);
}

TEST_CASE("an unlocated diagnostic renders like any other, with its file or as secretc's") {
  CHECK(secretc::render_unlocated(secretc::msg(secretc::Msg::NoCaseFile)) ==
        "secretc: error: name a case file (or - for standard input); --help tells more\n");
  CHECK(secretc::render_unlocated(secretc::msg(secretc::Msg::CaseConflict, "a", "b", "v"), secretc::TextLang::French,
                                  "c.fact") ==
        "c.fact: erreur: les règles `a` et `b` donnent à `v` des valeurs différentes et aucune ne prime sur l'autre\n");
}
