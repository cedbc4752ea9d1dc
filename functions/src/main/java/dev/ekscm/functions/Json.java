package dev.ekscm.functions;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The one ObjectMapper of the functions, built at class initialisation (kept by SnapStart). */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }
}
