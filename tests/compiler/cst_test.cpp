// The concrete syntax tree (compiler/cst.hpp): the compiler's parse with every token and comment kept.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/cst.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using cst::Kind;
using secretc::testing::read_file;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> texts(const cst::Cst& c) {
  std::vector<std::string> out;
  for (const auto& t : c.tokens) out.push_back(t.text);
  return out;
}

}  // namespace

TEST_CASE("the syntax tree keeps every token, keywords word by word") {
  const cst::Cst c = cst::parse_rules_cst(
      "base \"b\" version \"1\" à jour au 2024-01-01\n"
      "sortie verdict : énumération { garder, reveler } = garder dans le doute garder\n"
      "fait confident.fonction : booléen \"Q ?\" en \"Q?\"\n"
      "définition d = confident.fonction et (aujourdhui >= 2020-01-01 ou 3 == -3) et x pas dans { 1 .. 2 }\n"
      "règle r alors verdict += { garder }\n");
  REQUIRE(c.error.empty());
  CHECK(texts(c) == std::vector<std::string>{"base",
                                             "\"b\"",
                                             "version",
                                             "\"1\"",
                                             "à",
                                             "jour",
                                             "au",
                                             "2024-01-01",
                                             "sortie",
                                             "verdict",
                                             ":",
                                             "énumération",
                                             "{",
                                             "garder",
                                             ",",
                                             "reveler",
                                             "}",
                                             "=",
                                             "garder",
                                             "dans",
                                             "le",
                                             "doute",
                                             "garder",
                                             "fait",
                                             "confident.fonction",
                                             ":",
                                             "booléen",
                                             "\"Q ?\"",
                                             "en",
                                             "\"Q?\"",
                                             "définition",
                                             "d",
                                             "=",
                                             "confident.fonction",
                                             "et",
                                             "(",
                                             "aujourdhui",
                                             ">=",
                                             "2020-01-01",
                                             "ou",
                                             "3",
                                             "==",
                                             "-3",
                                             ")",
                                             "et",
                                             "x",
                                             "pas",
                                             "dans",
                                             "{",
                                             "1",
                                             "..",
                                             "2",
                                             "}",
                                             "règle",
                                             "r",
                                             "alors",
                                             "verdict",
                                             "+=",
                                             "{",
                                             "garder",
                                             "}"});
  CHECK(c.tokens[0].kind == cst::TokenKind::Word);
  CHECK(c.tokens[1].kind == cst::TokenKind::String);
  CHECK(c.tokens[7].kind == cst::TokenKind::Number);
  CHECK(c.tokens[10].kind == cst::TokenKind::Punct);
  CHECK(c.tokens[8].line == 2);
  CHECK(c.comments.empty());

  REQUIRE(c.root.kids.size() == 5);
  const cst::Node& header = c.root.kids[0];
  CHECK(header.is(Kind::RulebaseDecl));
  REQUIRE(header.find(Kind::LawAsOf) != nullptr);
  CHECK(header.find(Kind::LawAsOf)->keyword(Kw::AsOf)->tokens() == std::vector<std::size_t>{4, 5, 6});
  CHECK(c.tokens[header.get(Kind::RulebaseVersion).first_token()].text == "\"1\"");

  const cst::Node& output = c.root.kids[1];
  CHECK(output.is(Kind::OutputDecl));
  CHECK(output.find(Kind::InlineEnum) != nullptr);
  CHECK(output.get(Kind::DoubtClause).all(Kind::DoubtMember).size() == 1);

  const cst::Node& fact = c.root.kids[2];
  CHECK(c.tokens[fact.get(Kind::Name).token].text == "confident.fonction");
  CHECK(c.tokens[fact.get(Kind::Question).first_token()].text == "\"Q ?\"");
  CHECK(c.tokens[fact.get(Kind::Translation).get(Kind::Lang).token].text == "en");

  // `a et b et c`: one chain; a comparison or a chain of one element is its element.
  const cst::Node& value = c.root.kids[3].kids.back();
  REQUIRE(value.is(Kind::AndExpr));
  REQUIRE(value.kids.size() == 5);
  CHECK(value.kids[0].is(Kind::Name));
  CHECK(value.kids[1].is_keyword(Kw::And));
  CHECK(value.kids[2].is(Kind::Paren));
  CHECK(value.kids[2].kids[1].is(Kind::OrExpr));
  CHECK(value.kids[2].kids[1].kids[0].is(Kind::Comparison));
  CHECK(value.kids[2].kids[1].kids[0].kids[0].is_keyword(Kw::Today));
  CHECK(value.kids[4].is(Kind::Comparison));
  CHECK(value.kids[4].kids[1].is_keyword(Kw::NotIn));
  CHECK(value.kids[4].kids[2].is(Kind::SetLit));

  const cst::Node& effect = c.root.kids[4].get(Kind::ThenClause).get(Kind::EffectAdd);
  CHECK(c.tokens[effect.get(Kind::AddOp).token].text == "+=");
}

TEST_CASE("the syntax tree's comments are found between its tokens") {
  const cst::Cst ok = cst::parse_rules_cst(
      "\xEF\xBB\xBF# en tête\n"
      "fait a : booléen  # après  \n"
      "\n"
      "  # seul\n"
      "sortie v : énumération { x } = x dans # entre\n"
      "  le doute x\n");
  REQUIRE(ok.error.empty());
  REQUIRE(ok.comments.size() == 4);
  CHECK(ok.comments[0].text == "# en tête");
  CHECK(ok.comments[0].own_line);
  CHECK(ok.comments[0].column == 1);
  CHECK(ok.comments[1].text == "# après");
  CHECK(!ok.comments[1].own_line);
  CHECK(ok.comments[1].line == 2);
  CHECK(ok.comments[1].column == 19);
  CHECK(ok.comments[2].text == "# seul");
  CHECK(ok.comments[2].own_line);
  CHECK(ok.comments[2].blank_before);
  CHECK(ok.comments[2].column == 3);
  CHECK(ok.comments[3].text == "# entre");
  CHECK(ok.comments[3].line == 5);
  const auto doubt = ok.root.kids[1].get(Kind::DoubtClause).keyword(Kw::InDoubt)->tokens();
  REQUIRE(doubt.size() == 3);
  CHECK(ok.tokens[doubt[1]].line == 6);
  CHECK(ok.tokens[ok.root.kids[0].first_token()].text == "fait");
  CHECK(!ok.tokens[ok.root.kids[0].first_token()].blank_before);
  CHECK(!ok.tokens[ok.root.kids[1].first_token()].blank_before);
}

TEST_CASE("the syntax tree of a file that does not parse is an error, located") {
  const cst::Cst c = cst::parse_rules_cst("fait a : booléen\nfait : booléen\n");
  CHECK(!c.error.empty());
  CHECK(c.error_line == 2);
  CHECK(c.root.kids.empty());
  CHECK(c.tokens.empty());
}

TEST_CASE("the syntax tree of every rule file of the rulebase covers all its text") {
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(SECRETC_SOURCE_DIR) / "stdlib-rules")) {
    if (e.path().extension() != ".rules") continue;
    ++files;
    const std::string text = read_file(e.path());
    const cst::Cst c = cst::parse_rules_cst(text);
    CAPTURE(e.path().string());
    REQUIRE(c.error.empty());
    // Between the tokens, only blanks and the comments found there, each from its `#` to the line's end.
    std::size_t pos = 0, comment = 0;
    bool only_blanks = true;
    auto gap = [&](std::size_t end) {
      while (pos < end) {
        if (text[pos] == '#') {
          CHECK(comment < c.comments.size());
          if (comment < c.comments.size()) CHECK(c.comments[comment++].begin == pos);
          pos = std::min(text.find('\n', pos), end);
        } else {
          only_blanks = only_blanks && std::string_view(" \t\r\n").find(text[pos]) != std::string_view::npos;
          ++pos;
        }
      }
    };
    for (const auto& t : c.tokens) {
      gap(t.begin);
      CHECK(text.substr(t.begin, t.end - t.begin) == t.text);
      pos = t.end;
    }
    gap(text.size());
    CHECK(only_blanks);
    CHECK(comment == c.comments.size());
    for (const auto& d : c.root.kids) CHECK(d.first_token() != cst::kNone);
  }
  CHECK(files > 5);
}
