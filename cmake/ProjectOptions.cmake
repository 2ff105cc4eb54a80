# Settings every target of the project shares: language level, warnings, Qt's strictness macros and,
# when asked for, the sanitizers.
include_guard(GLOBAL)

add_library(project_options INTERFACE)
target_compile_features(project_options INTERFACE cxx_std_20)
target_compile_definitions(project_options INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_FOREACH
    MUSICGEN_VERSION="${PROJECT_VERSION}")
target_compile_options(project_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)

if(MUSICGEN_SANITIZE)
    # vptr checks need every library built with the same runtime; Qt from the distribution is not.
    set(_sanitize_flags -fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
                        -fno-sanitize-recover=undefined)
    target_compile_options(project_options INTERFACE ${_sanitize_flags})
    target_link_options(project_options INTERFACE ${_sanitize_flags})
endif()

if(MUSICGEN_FUZZ)
    # Coverage feedback for libFuzzer in every library the fuzz targets reach.
    target_compile_options(project_options INTERFACE -fsanitize=fuzzer-no-link)
endif()

# The core and engine layers must stay free of Qt Widgets (DESIGN.md: data flows one way).
function(musicgen_forbid_widgets target)
    get_target_property(_libs ${target} LINK_LIBRARIES)
    foreach(_lib IN LISTS _libs)
        if(_lib MATCHES "Widgets")
            message(FATAL_ERROR "${target} must not link ${_lib}: keep widgets in src/gui")
        endif()
    endforeach()
endfunction()
