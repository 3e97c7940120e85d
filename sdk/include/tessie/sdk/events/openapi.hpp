#pragma once
// A plugin's part of the REST API description, handed to the host through the event bus.
#include <string_view>

namespace tessie::sdk {
inline namespace v1 {
namespace events {

// Published by a plugin in Configure, next to its route registrations:
//   context.Events().Publish(sdk::events::OpenApiPart{kOpenApiYaml});
// The host keeps it (the last one per plugin wins) until the plugin stops, and serves it merged with its own
// description and every other plugin's at GET /api/openapi.json. The host copies the text during Publish, so
// `yaml` need only live until Publish returns. Build it in with tessie_add_plugin(... OPENAPI openapi.yaml),
// which embeds the file at build time as `kOpenApiYaml` in the generated header "openapi_part.hpp".
//
// `yaml` is an OpenAPI 3.0 fragment: `paths` (the plugin's routes, with ":id" written "{id}") and `components`
// (schemas, responses, parameters) whose names the plugin prefixes with its own to stay unique. Routes a plugin
// registers without describing them are listed with their summary only; described paths the plugin does not
// serve are left out. Plugins other than the host do not receive this event.
struct OpenApiPart {
  static constexpr std::string_view kTopic = "host.openapi";
  std::string_view yaml;
};

}  // namespace events
}  // namespace v1
}  // namespace tessie::sdk
