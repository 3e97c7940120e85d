# The Debian package (cpack -G DEB in build/, or `make package`): docs/install.md describes the layout.
#   /usr/bin/tessie-stats                              the host
#   /usr/lib/tessie-stats/plugins/lib<name>.so         shipped plugins (tessie_add_plugin)
#   /usr/lib/tessie-stats/libtessie_storage_postgresql.so   loaded when storage.url names PostgreSQL
#   /usr/lib/tessie-stats/<plugin>/                    the dashboard's web assets (plugins/dashboard/CMakeLists.txt)
#   /etc/tessie-stats/config.yaml                      conffile
#   /lib/systemd/system/tessie-stats.service           hardened unit, logs to the journal
#   /var/lib/tessie-stats/                             data, owned by the system user the postinst creates
# The destinations under /etc, /var and /lib are absolute: `cmake --install` outside cpack writes them there too
# (use DESTDIR to stage).

install(FILES ${PROJECT_SOURCE_DIR}/config/tessie-stats.yaml DESTINATION /etc/tessie-stats RENAME config.yaml
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/tessie-stats.service DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(DIRECTORY DESTINATION /var/lib/tessie-stats
        DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/docs/install.md
              ${PROJECT_SOURCE_DIR}/docs/configuration.md ${PROJECT_SOURCE_DIR}/docs/tesla-account.md
        DESTINATION share/doc/tessie-stats)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tessie-stats)
set(CPACK_PACKAGE_VENDOR "Tessie Stats")
set(CPACK_PACKAGE_CONTACT "Tessie Stats maintainers <maintainers@tessie-stats.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted home for your Tesla data (Fleet API, REST, MQTT)")
set(CPACK_PACKAGE_DESCRIPTION "Tessie Stats polls the Tesla Fleet API for your cars and Powerwall sites, stores \
every sample (SQLite or PostgreSQL) and serves it through a REST API, a web dashboard and Home Assistant MQTT \
discovery.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # tessie-stats_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/tessie-stats/tessie-stats")
# Library dependencies come from dpkg-shlibdeps; useradd/userdel (postinst, postrm) from passwd.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mosquitto, postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/deploy/debian/conffiles ${PROJECT_SOURCE_DIR}/deploy/debian/postinst
    ${PROJECT_SOURCE_DIR}/deploy/debian/prerm ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
