// The catalogue of messages (runtime/messages.def): each has an id, an English and a French wording.
// A diagnostic carries its message's id and arguments, so that it is rendered in the reader's language.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "runtime/program.hpp"

namespace secretc {

enum class Msg : std::uint16_t {
#define SECRETC_MESSAGE(id, en, fr) id,
#define SECRETC_SENTENCE(id, en, fr) id,
#include "runtime/messages.def"
#undef SECRETC_SENTENCE
#undef SECRETC_MESSAGE
  Count_
};

struct Message {
  Msg id = Msg::Count_;  // Count_: no catalogue message (the text is given as is)
  std::vector<std::string> args;
};

template <typename... Args>
Message msg(Msg id, const Args&... args) {
  return Message{id, {fmt::format("{}", args)...}};
}

// The message in a language; the arguments are inserted as they are.
std::string message_text(const Message& m, TextLang lang);
const char* message_template(Msg id, TextLang lang);
// Whether the message is a SECRETC_SENTENCE: a sentence of an interface, capital and full stop included, where
// a diagnostic is lowercase and has no final period.
bool message_is_sentence(Msg id);
// The message whose id is spelled `name` (as in messages.def), for the tables that name messages by id.
std::optional<Msg> message_named(std::string_view name);
// The id spelled as in messages.def (`UnknownName`): a diagnostic's kind, as JSON output names it.
std::string_view message_name(Msg id);

}  // namespace secretc
