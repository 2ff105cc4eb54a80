# `cmake --build build --target package` builds a .deb whose runtime dependencies come from the shared
# libraries the binaries really link (dpkg-shlibdeps), not from a hand-typed list.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME musicgen-studio)
set(CPACK_PACKAGE_VENDOR "MusicGen Studio")
set(CPACK_PACKAGE_CONTACT "MusicGen Studio <dev@musicgen.studio>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "make music clips from text prompts")
set(CPACK_PACKAGE_DESCRIPTION "Type a prompt, pick a duration and a seed, and hear the take. Takes come from
Segmind's hosted Meta MusicGen Medium model, or offline from the built-in
sketch engine. Every take is kept in a searchable history; favourites are
saved to the Music folder. Includes the musicgen-cli command-line tool.")
set(CPACK_DEBIAN_PACKAGE_SECTION sound)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# QMediaPlayer plays through GStreamer plugins that no binary links directly; QSQLITE and the SVG icon engine (the
# transport's icons where the desktop theme has none; in libqt6svg6) are Qt plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6, gstreamer1.0-plugins-base, gstreamer1.0-plugins-good")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
