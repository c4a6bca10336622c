// Rendering a result for people (French or English chrome around the rulebase's own words) and for
// programs (the JSON object of shared/spec/case-vocabulary.md §3).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "runtime/case.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"

namespace secretc {

enum class ReportLang { French, English };

struct CaseReport {
  std::string case_path;
  const Program* program = nullptr;
  const BoundCase* bound = nullptr;
  const Result* result = nullptr;
};

std::string render_text(const CaseReport& report, ReportLang lang);
nlohmann::ordered_json render_json(const CaseReport& report);

}  // namespace secretc
