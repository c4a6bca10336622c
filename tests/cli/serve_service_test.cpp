// The API of `secretc serve`, called directly (no network): each endpoint's answer and its errors.
// tests/e2e/serve_test.cpp checks the same over HTTP, on the real binary.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/doc_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/vocab_command.hpp"
#include "compiler/compile.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
namespace fs = std::filesystem;

namespace {

const Program& belgian() {
  return testing::belgian_rulebase();
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json body_of(const HttpReply& r) {
  return nlohmann::json::parse(r.body);
}

}  // namespace

TEST_CASE("the vocabulary endpoint answers the object of `secretc vocab --format json`") {
  const CaseService fr(belgian(), ReportLang::French);
  const HttpReply r = fr.handle("GET", "/api/vocabulary", "");
  CHECK(r.status == 200);
  CHECK(body_of(r) == nlohmann::json::parse(vocabulary_json(belgian(), ReportLang::French).dump()));
  const CaseService en(belgian(), ReportLang::English);
  CHECK(body_of(en.vocabulary()) == nlohmann::json::parse(vocabulary_json(belgian(), ReportLang::English).dump()));
}

TEST_CASE("a case file opened, written back and checked gives the same answer") {
  const CaseService service(belgian(), ReportLang::French);
  const fs::path example = fs::path(SECRETC_SOURCE_DIR) / "examples" / "mediateur_tribunal_procedure_inconnue.fact";
  const HttpReply parsed = service.handle("POST", "/api/parse-case", read(example), "mediateur.fact");
  REQUIRE(parsed.status == 200);
  const nlohmann::json c = body_of(parsed);
  CHECK(c["case"] == "mediateur.fact");
  CHECK(c["facts"]["confident.fonction"] == "mediateur");
  CHECK(c["facts"]["cas.date"] == "2023-10-10");

  const HttpReply checked = service.handle("POST", "/api/check", c.dump());
  REQUIRE(checked.status == 200);
  const nlohmann::json report = body_of(checked);
  CHECK(report["case"] == "mediateur.fact");
  CHECK(report["outputs"]["verdict"] == "garder_le_secret");
  CHECK(report["status"]["verdict"]["settled"] == false);
  REQUIRE(!report["depends_on"].empty());
  CHECK(report["depends_on"][0]["fact"] == "procedure.nature");

  // Written back as a case file, read again: the same facts.
  const HttpReply file = service.handle("POST", "/api/case-file", c.dump());
  REQUIRE(file.status == 200);
  CHECK(file.content_type.starts_with("text/plain"));
  CHECK(file.body.find("confident.fonction = mediateur\n") != std::string::npos);
  CHECK(file.body.find("cas.titre = \"Le médiateur cité comme témoin (procédure non précisée)\"\n") !=
        std::string::npos);
  const HttpReply again = service.handle("POST", "/api/parse-case", file.body, "again.fact");
  REQUIRE(again.status == 200);
  CHECK(body_of(again)["facts"] == c["facts"]);
}

TEST_CASE("the page's answer ranks the open questions and gives the rules' texts") {
  const CaseService service(belgian(), ReportLang::French);
  const HttpReply r = service.handle(
      "POST", "/api/answer",
      R"({"facts": {"cas.date": "2023-10-10", "confident.fonction": "mediateur", "confident.secteur": "prive",
                                         "information.nature": "confidence", "situation": "temoignage_en_justice",
                                         "destinataire.qualite": "tribunal"}})");
  REQUIRE(r.status == 200);
  const nlohmann::json a = body_of(r);
  REQUIRE(!a["questions"].empty());
  CHECK(a["questions"][0]["fact"] == "procedure.nature");
  CHECK(a["questions"][0]["rank"] == "verdict");
  CHECK(a["questions"].size() == a["report"]["missing"].size());
  for (const auto& g : a["report"]["grounds"]) CHECK(a["texts"]["rules"].contains(g["rule"].get<std::string>()));
  CHECK(a["notes"].empty());
}

TEST_CASE("bad requests get located messages in the server's language") {
  const CaseService service(belgian(), ReportLang::French);
  const HttpReply syntax = service.handle("POST", "/api/check", "{\"facts\": {");
  CHECK(syntax.status == 400);
  CHECK(body_of(syntax)["errors"][0]["line"] == 1);
  CHECK(body_of(syntax)["errors"][0]["message"].get<std::string>().starts_with("ce n'est pas du JSON"));
  const HttpReply fact = service.handle("POST", "/api/check", R"({"facts": {"victime.mineure": true}})");
  CHECK(fact.status == 400);
  CHECK(body_of(fact)["errors"][0]["path"] == "/facts/victime.mineure");
  CHECK(body_of(fact)["errors"][0]["hint"] == "vouliez-vous dire `victime.mineur` ?");
  const HttpReply file = service.handle("POST", "/api/parse-case", "victime.mineur = peut-etre\n", "x.fact");
  CHECK(file.status == 400);
  CHECK(body_of(file)["errors"][0]["file"] == "x.fact");
  CHECK(body_of(file)["errors"][0]["line"] == 1);
  CHECK(body_of(file)["errors"][0]["column"] == 18);
  CHECK(body_of(file)["text"].get<std::string>().starts_with("x.fact:1:18: erreur"));
  // A text a case file cannot hold.
  const HttpReply line_break = service.handle("POST", "/api/case-file", R"({"facts": {"cas.titre": "deux\nlignes"}})");
  CHECK(line_break.status == 400);
  CHECK(body_of(line_break)["errors"][0]["path"] == "/facts/cas.titre");
}

TEST_CASE("unknown paths and wrong methods are refused") {
  const CaseService service(belgian(), ReportLang::English);
  CHECK(service.handle("GET", "/nothing", "").status == 404);
  CHECK(service.handle("GET", "/../etc/passwd", "").status == 404);
  const HttpReply get_check = service.handle("GET", "/api/check", "");
  CHECK(get_check.status == 405);
  CHECK(get_check.allow == "POST");
  CHECK(service.handle("POST", "/api/vocabulary", "").status == 405);
  CHECK(service.too_large().status == 413);
}

TEST_CASE("the page's files are embedded, and the page speaks the server's language") {
  const CaseService fr(belgian(), ReportLang::French);
  const CaseService en(belgian(), ReportLang::English);
  const HttpReply page = fr.handle("GET", "/", "");
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.body.find("<html lang=\"fr\">") != std::string::npos);
  CHECK(en.handle("GET", "/index.html", "").body.find("<html lang=\"en\">") != std::string::npos);
  CHECK(fr.handle("GET", "/app.js", "").content_type == "text/javascript; charset=utf-8");
  CHECK(fr.handle("GET", "/style.css", "").content_type == "text/css; charset=utf-8");
  // Nothing is loaded from elsewhere: no address but the page's own.
  for (const WebAsset& a : web_assets()) {
    INFO(a.path);
    std::string bytes(a.bytes);
    // An SVG names its XML namespace by an address it never loads.
    for (std::size_t at; (at = bytes.find("xmlns=\"http://www.w3.org/2000/svg\"")) != std::string::npos;)
      bytes.erase(at, 34);
    CHECK(bytes.find("http://") == std::string::npos);
    CHECK(bytes.find("https://") == std::string::npos);
    CHECK(bytes.find("//fonts.") == std::string::npos);
  }
}

TEST_CASE("only requests addressed to 127.0.0.1 or localhost on the server's port are answered") {
  CHECK(host_allowed("127.0.0.1:8080", 8080));
  CHECK(host_allowed("localhost:8080", 8080));
  CHECK(!host_allowed("127.0.0.1:8081", 8080));
  CHECK(!host_allowed("evil.example:8080", 8080));
  CHECK(!host_allowed("", 8080));
}

TEST_CASE("the rulebase's website is served under /doc/, as secretc doc writes it") {
  const CaseService service(belgian(), ReportLang::French);
  const HttpReply index = service.handle("GET", "/doc/", "");
  CHECK(index.status == 200);
  CHECK(index.content_type == "text/html; charset=utf-8");
  CHECK(index.body == doc_pages(belgian(), nullptr).at("index.html"));
  CHECK(index.body.find("href=\"regles/e2_article_458bis.html\"") != std::string::npos);
  const HttpReply rule = service.handle("GET", "/doc/regles/e2_article_458bis.html", "");
  CHECK(rule.status == 200);
  CHECK(rule.body.find("art. 458bis C. pén.") != std::string::npos);
  CHECK(service.handle("GET", "/doc/regles/nope.html", "").status == 404);
  CHECK(service.handle("GET", "/doc/../index.html", "").status == 404);
  CHECK(service.handle("POST", "/doc/index.html", "").status == 404);
}
