// The wording of diagnostics that the golden tests (tests/golden/) showed to be misleading or noisy.
#include <doctest/doctest.h>

#include "compiler/parse_case.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

const char* kHead = R"(
enum fonction { medecin, psychologue }
fact confident.fonction : fonction
fact victime.mineur : bool
output verdict : enum { keep, may } = keep
)";

std::string errors_of_rules(const std::string& body) { return errors_of(compile_one(std::string(kHead) + body)); }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a member compared with a misspelt fact gets no second error") {
  const std::string e = errors_of_rules("rule r when confident.fontion == medecin then verdict = may\n");
  CHECK(e.find("unknown fact `confident.fontion`") != std::string::npos);
  CHECK(e.find("did you mean `confident.fonction`?") != std::string::npos);
  CHECK(e.find("medecin`?") == std::string::npos);  // it once suggested `medecin` for `medecin`
  CHECK(count(e, "error:") == 1);
}

TEST_CASE("a member standing alone says how members are compared, not `did you mean` itself") {
  const std::string e = errors_of_rules("rule r when medecin == psychologue then verdict = may\n");
  CHECK(e.find("`medecin` is a member of `fonction`, but nothing here says which value it is compared with") !=
        std::string::npos);
  CHECK(e.find("compare `confident.fonction` with it") != std::string::npos);
}

TEST_CASE("a precedence cycle is reported once, not once per rule on it") {
  const std::string e = errors_of_rules(
      "rule a overrides c when victime.mineur then verdict = may\n"
      "rule b overrides a when victime.mineur then verdict = keep\n"
      "rule c overrides b when victime.mineur then verdict = may\n");
  CHECK(count(e, "is circular") == 1);
  CHECK(e.find("`a` is overridden by `b` is overridden by `c` is overridden by `a`") != std::string::npos);
}

TEST_CASE("an unterminated string in a rule file is reported at its opening quote") {
  const auto c = compile_one("fact x : bool\noutput v : enum { a } \nrule r\n  cite \"art. 458\n  when x\n  then v = a\n");
  REQUIRE(c.diags.error_count() == 1);
  const Diagnostic& d = c.diags.all().front();
  CHECK(d.message == "unterminated string; close it with `\"`");
  CHECK(d.where.line == 4);
  CHECK(d.where.column == 8);
}

TEST_CASE("a date written with slashes is a malformed date, not an article followed by junk") {
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", "cas.date = 01/05/2024\n");
  (void)parse_case(sources, file, diags);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all().front().message == "malformed date `01/05/2024`; write `YYYY-MM-DD`, like `2024-05-01`");
  CHECK(diags.all().front().where.column == 12);
}
