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

# One static library per module folder of src/ (docs/ARCHITECTURE.md). Every module includes headers by their
# module path from src/ ("library/Library.h").
function(musicgen_add_module name)
    qt_add_library(${name} STATIC ${ARGN})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(${name} PUBLIC project_options)
endfunction()

# Everything `target` links, directly or through other targets (PUBLIC and PRIVATE alike).
function(_musicgen_links_of target out)
    set(_seen "")
    set(_queue ${target})
    while(_queue)
        list(POP_FRONT _queue _current)
        get_target_property(_imported ${_current} IMPORTED)
        if(_imported)
            get_target_property(_links ${_current} INTERFACE_LINK_LIBRARIES)
        else()
            get_target_property(_links ${_current} LINK_LIBRARIES)
        endif()
        foreach(_link IN LISTS _links)
            string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _link "${_link}")
            if(TARGET ${_link} AND NOT _link IN_LIST _seen)
                list(APPEND _seen ${_link})
                list(APPEND _queue ${_link})
            endif()
        endforeach()
    endwhile()
    set(${out} ${_seen} PARENT_SCOPE)
endfunction()

# Dependencies point down (docs/ARCHITECTURE.md): `target` may reach only the project modules in ALLOWS, never
# Qt Widgets unless WIDGETS is given, and no Qt at all with NO_QT. Call it after every target is defined, so the
# links it checks are all there.
function(musicgen_check_layer target)
    cmake_parse_arguments(ARG "WIDGETS;NO_QT" "" "ALLOWS" ${ARGN})
    _musicgen_links_of(${target} _links)
    foreach(_link IN LISTS _links)
        if(_link IN_LIST MUSICGEN_MODULES AND NOT _link IN_LIST ARG_ALLOWS)
            message(FATAL_ERROR "${target} must not depend on ${_link} (docs/ARCHITECTURE.md: dependencies point down)")
        endif()
        if(NOT ARG_WIDGETS AND _link MATCHES "Widgets")
            message(FATAL_ERROR "${target} must not link ${_link}: widgets live in src/gui")
        endif()
        if(ARG_NO_QT AND _link MATCHES "^Qt6?::")
            message(FATAL_ERROR "${target} must not link ${_link}: the engine is standard C++ only")
        endif()
    endforeach()
endfunction()
