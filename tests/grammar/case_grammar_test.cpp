// The case-file grammar on its own: what it accepts, and which message each kind of bad line raises.
#include <string>
#include <string_view>

#include <doctest/doctest.h>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/case_errors.hpp"
#include "grammar/case_grammar.hpp"
#include "runtime/messages.hpp"

namespace {

namespace pegtl = tao::pegtl;
namespace cf = secretc::grammar::case_file;

// Parses a whole file; "" when it is accepted, the raised message otherwise, "<no match>" on a plain failure.
std::string outcome(std::string_view text) {
  pegtl::memory_input in(text.data(), text.size(), "test.fact");
  try {
    return pegtl::parse<cf::file, pegtl::nothing, cf::control>(in) ? "" : "<no match>";
  } catch (const pegtl::parse_error& e) {
    return std::string(e.message());
  }
}

bool accepts(std::string_view text) {
  return outcome(text).empty();
}

// The byte column (1-based) where a file's first error is raised.
std::size_t error_column(std::string_view text) {
  pegtl::memory_input in(text.data(), text.size(), "test.fact");
  try {
    (void)pegtl::parse<cf::file, pegtl::nothing, cf::control>(in);
  } catch (const pegtl::parse_error& e) {
    return e.positions().front().column;
  }
  return 0;
}

}  // namespace

TEST_CASE("the case grammar has no left recursion and no loop that consumes nothing") {
  CHECK(pegtl::analyze<cf::file>() == 0);
  CHECK(pegtl::analyze<cf::line>() == 0);
}

TEST_CASE("every kind of value is accepted") {
  CHECK(accepts("victime.mineur = oui\n"));
  CHECK(accepts("confident.fonction = psychiatre\n"));
  CHECK(accepts("cas.date = 2024-05-01\n"));
  CHECK(accepts("personnes = 3\n"));
  CHECK(accepts("ecart = -12\n"));
  CHECK(accepts("ecart = +12\n"));
  CHECK(accepts("cas.titre = \"Madame L. et ses trois enfants\"\n"));
  CHECK(accepts("cas.titre = \"\"\n"));
  CHECK(accepts("cas.titre = \"dit \\\"non\\\" puis \\\\ rien\"\n"));
  CHECK(accepts("cas.titre = \"élève à l'école — ok\"\n"));
  CHECK(accepts("infraction.article = 371/1\n"));
  CHECK(accepts("infraction.article = 405ter\n"));
  CHECK(accepts("infraction.article = 458/2bis\n"));
  CHECK(accepts("danger.actuel = ?\n"));
  CHECK(accepts("danger.actuel = inconnu\n"));
}

TEST_CASE("words in any case and with accents are read as words, for the binder to judge") {
  CHECK(accepts("victime.mineur = Oui\n"));
  CHECK(accepts("confident.fonction = médecin\n"));
}

TEST_CASE("comments, blank lines and trailing blanks are ignored") {
  CHECK(accepts(""));
  CHECK(accepts("\n\n   \n\t\n"));
  CHECK(accepts("# only a comment\n"));
  CHECK(accepts("   # an indented comment\n"));
  CHECK(accepts("victime.mineur = oui # a comment after a value\n"));
  CHECK(accepts("victime.mineur = oui#no space needed\n"));
  CHECK(accepts("victime.mineur = oui   \t\n"));
  CHECK(accepts("\tvictime.mineur\t=\toui\n"));
  CHECK(accepts("victime.mineur=oui\n"));
}

TEST_CASE("a hash inside a string is part of the string, not a comment") {
  CHECK(accepts("cas.titre = \"dossier #12\" # and a comment\n"));
}

TEST_CASE("a BOM, CRLF line ends and a last line without a line end are accepted") {
  CHECK(accepts("\xEF\xBB\xBFvictime.mineur = oui\n"));
  CHECK(accepts("victime.mineur = oui\r\ncas.date = 2024-05-01\r\n"));
  CHECK(accepts("# comment\r\n\r\nvictime.mineur = oui # c\r\n"));
  CHECK(accepts("victime.mineur = oui"));
}

TEST_CASE("a name that is not lowercase dotted identifiers is refused with the name's message") {
  const std::string names = cf::error_message<cf::segment>;
  CHECK(outcome("Victime.mineur = oui\n") == names);
  CHECK(outcome("victime.Mineur = oui\n") == names);
  CHECK(outcome("victime..mineur = oui\n") == names);
  CHECK(outcome("victime. = oui\n") == names);
  CHECK(outcome("victime-mineur = oui\n") == names);
  CHECK(outcome("âge = 3\n") == names);
  CHECK(error_column("victime.Mineur = oui\n") == 9);
}

TEST_CASE("garbage at the start of a line says what a line should be") {
  CHECK(outcome("= oui\n") == cf::error_message<cf::content>);
  CHECK(outcome("!!!\n") == cf::error_message<cf::content>);
  CHECK(outcome("12 = 3\n") == cf::error_message<cf::content>);
}

TEST_CASE("a name without `=` is refused") {
  CHECK(outcome("victime.mineur oui\n") == cf::error_message<cf::equals>);
  CHECK(outcome("victime.mineur: oui\n") == cf::error_message<cf::equals>);
  CHECK(outcome("victime.mineur\n") == cf::error_message<cf::equals>);
}

TEST_CASE("a missing value is refused, even before a comment") {
  CHECK(outcome("victime.mineur =\n") == cf::error_message<cf::value_present>);
  CHECK(outcome("victime.mineur =   # later\n") == cf::error_message<cf::value_present>);
  CHECK(outcome("victime.mineur =") == cf::error_message<cf::value_present>);
}

TEST_CASE("something that is no value is refused") {
  CHECK(outcome("victime.mineur = @oui\n") == cf::error_message<cf::value>);
  CHECK(outcome("victime.mineur = == oui\n") == cf::error_message<cf::value>);
  CHECK(outcome("victime.mineur = -\n") == cf::error_message<cf::digits>);
}

TEST_CASE("anything after the value but a comment is refused") {
  CHECK(outcome("victime.mineur = oui non\n") == cf::error_message<cf::after_value>);
  CHECK(outcome("victime.mineur = oui- non\n") == cf::error_message<cf::after_value>);  // `oui-non` is one word
  CHECK(outcome("cas.titre = \"a\" b\n") == cf::error_message<cf::after_value>);
  CHECK(outcome("victime.mineur = oui\rnon\n") == cf::error_message<cf::after_value>);
  CHECK(error_column("victime.mineur = oui non\n") == 22);
}

TEST_CASE("a malformed date is refused where it begins") {
  CHECK(outcome("cas.date = 2024-5-1\n") == cf::error_message<cf::well_formed_date>);
  CHECK(outcome("cas.date = 24-05-01\n") == cf::error_message<cf::well_formed_date>);
  CHECK(outcome("cas.date = 2024-05-011\n") == cf::error_message<cf::well_formed_date>);
  CHECK(error_column("cas.date = 2024-5-1\n") == 12);
  // An impossible day has the right shape: the binder judges it.
  CHECK(accepts("cas.date = 2019-02-30\n"));
}

TEST_CASE("an article with a slash needs a sub-number") {
  CHECK(outcome("infraction.article = 371/\n") == cf::error_message<cf::sub_number>);
}

TEST_CASE("an unterminated string is refused at its opening quote") {
  CHECK(outcome("cas.titre = \"Madame L.\n") == cf::error_message<cf::closed_string>);
  CHECK(outcome("cas.titre = \"Madame L.") == cf::error_message<cf::closed_string>);
  CHECK(outcome("cas.titre = \"ends with an escaped quote\\\"\n") == cf::error_message<cf::closed_string>);
  CHECK(error_column("cas.titre = \"Madame L.\n") == 13);
}

TEST_CASE("an escape other than \\\" and \\\\ is refused at its backslash") {
  CHECK(outcome("cas.titre = \"a\\nb\"\n") == cf::error_message<cf::valid_escape>);
  CHECK(outcome("cas.titre = \"a\\\n") == cf::error_message<cf::valid_escape>);
  CHECK(error_column("cas.titre = \"a\\nb\"\n") == 15);
}

TEST_CASE("every message of the case grammar names a message of the catalogue, lowercase, without a final period") {
  const char* messages[] = {
      cf::error_message<cf::content>,     cf::error_message<cf::segment>,          cf::error_message<cf::name_end>,
      cf::error_message<cf::equals>,      cf::error_message<cf::value_present>,    cf::error_message<cf::value>,
      cf::error_message<cf::after_value>, cf::error_message<cf::well_formed_date>, cf::error_message<cf::sub_number>,
      cf::error_message<cf::digits>,      cf::error_message<cf::valid_escape>,     cf::error_message<cf::closed_string>,
  };
  for (const char* m : messages) {
    CAPTURE(std::string_view(m));
    const std::optional<secretc::Msg> id = secretc::message_named(m);
    REQUIRE(id.has_value());
    for (const secretc::TextLang lang : {secretc::TextLang::English, secretc::TextLang::French}) {
      const std::string_view text = secretc::message_template(*id, lang);
      CAPTURE(text);
      REQUIRE(!text.empty());
      CHECK(!(text.front() >= 'A' && text.front() <= 'Z'));
      CHECK(text.back() != '.');
    }
  }
}
