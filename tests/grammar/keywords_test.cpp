// grammar/keywords.def is the one place a keyword is spelled: the grammar recognises every spelling of
// it, in its language, and reserves exactly the words the table's `reserved` column says.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <tao/pegtl.hpp>

#include "grammar/keywords.hpp"
#include "grammar/rules_grammar.hpp"

namespace g = secretc::grammar::rules;
namespace p = tao::pegtl;
using secretc::Kw;
using secretc::TextLang;

namespace {

struct Markers {
  int english = 0;
  int french = 0;
};

template <typename Rule>
struct count_markers : p::nothing<Rule> {};
template <typename K>
struct count_markers<g::en<K>> {
  static void apply0(Markers& m) { ++m.english; }
};
template <typename K>
struct count_markers<g::fr<K>> {
  static void apply0(Markers& m) { ++m.french; }
};

// Whether the whole text is the rule, and the language markers it went through.
template <typename Rule>
bool parses(const std::string& text, Markers& m) {
  p::memory_input in(text, "keyword");
  return p::parse<p::seq<Rule, p::eof>, count_markers>(in, m);
}

struct Entry {
  Kw id;
  bool (*parse)(const std::string&, Markers&);
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> kEntries{
#define SECRETC_KEYWORD(id, rule, form, reserved, english, french) {Kw::id, &parses<g::rule>},
#include "grammar/keywords.def"
#undef SECRETC_KEYWORD
  };
  return kEntries;
}

bool is_name(const std::string& word) {
  p::memory_input in(word, "name");
  return p::parse<p::seq<g::ident, p::eof>>(in);
}

std::string first_word(std::string_view spelling) {
  return std::string(spelling.substr(0, spelling.find(' ')));
}

}  // namespace

TEST_CASE("every spelling of keywords.def is its keyword for the grammar, in its language") {
  REQUIRE(entries().size() == static_cast<std::size_t>(Kw::Count_));
  for (const Entry& e : entries()) {
    for (const TextLang lang : {TextLang::French, TextLang::English}) {
      const TextLang other = lang == TextLang::French ? TextLang::English : TextLang::French;
      for (std::size_t s = 0; s < secretc::keyword_spellings(e.id, lang); ++s) {
        const std::string spelling(secretc::keyword_spelling(e.id, lang, s));
        CAPTURE(spelling);
        REQUIRE(!spelling.empty());
        Markers m;
        CHECK(e.parse(spelling, m));
        if (secretc::keyword_has_spelling(e.id, other, spelling)) {
          CHECK(m.english + m.french == 0);  // both<>
        } else {
          CHECK(m.english == (lang == TextLang::English ? 1 : 0));
          CHECK(m.french == (lang == TextLang::French ? 1 : 0));
        }
        // The words of a spelling may be apart, with comments between them.
        std::string spread;
        for (const char c : spelling) spread += c == ' ' ? std::string("  # c\n\t ") : std::string(1, c);
        Markers m2;
        CHECK(e.parse(spread, m2));
      }
    }
  }
}

TEST_CASE("the reserved words are the first words of the keywords keywords.def reserves") {
  std::vector<std::string> reserved, free;
  for (const secretc::KeywordInfo& k : secretc::kKeywords) {
    for (const TextLang lang : {TextLang::French, TextLang::English}) {
      const bool reserves = k.reserved == secretc::KwReserved::Both ||
                            (k.reserved == secretc::KwReserved::English && lang == TextLang::English);
      for (std::size_t s = 0; s < secretc::keyword_spellings(k.id, lang); ++s) {
        (reserves ? reserved : free).push_back(first_word(secretc::keyword_spelling(k.id, lang, s)));
      }
    }
  }
  for (const std::string& w : reserved) {
    CAPTURE(w);
    CHECK_FALSE(is_name(w));
    CHECK(std::find(g::keywords::kReserved.begin(), g::keywords::kReserved.end(), w) != g::keywords::kReserved.end());
  }
  // A keyword's word that no keyword reserves may be a name (`aide`, `sous`, `au`, `a`, `set`).
  for (const std::string& w : free) {
    CAPTURE(w);
    if (std::find(reserved.begin(), reserved.end(), w) != reserved.end()) continue;
    if (std::any_of(w.begin(), w.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
      continue;  // names are ASCII
    CHECK(is_name(w));
  }
  // Each reserved word once.
  for (std::size_t i = 0; i < g::keywords::kReserved.size(); ++i) {
    for (std::size_t j = i + 1; j < g::keywords::kReserved.size(); ++j)
      CHECK(g::keywords::kReserved[i] != g::keywords::kReserved[j]);
  }
  CHECK(is_name("aide"));
  CHECK(is_name("au"));
  CHECK_FALSE(is_name("until"));
  CHECK_FALSE(is_name("quand"));
}

TEST_CASE("keyword_text: the canonical spelling of a keyword in a language") {
  CHECK(secretc::keyword_text(Kw::Rule, TextLang::French) == "règle");
  CHECK(secretc::keyword_text(Kw::Rule, TextLang::English) == "rule");
  CHECK(secretc::keyword_text(Kw::Overrides, TextLang::French) == "prime sur");
  CHECK(secretc::keyword_text(Kw::ValidFrom, TextLang::French) == "valable du");
  CHECK(secretc::valid_from_alone_text(TextLang::French) == "valable à partir du");
  CHECK(secretc::valid_from_alone_text(TextLang::English) == "valid from");
  CHECK(secretc::keyword_text(Kw::Today, TextLang::French) == "aujourd'hui");
  CHECK(secretc::is_keyword_word(Kw::AsOf, "jour", 1));
  CHECK_FALSE(secretc::is_keyword_word(Kw::AsOf, "jour", 0));
}
