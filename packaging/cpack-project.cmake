# Read by cpack (CPACK_PROJECT_CONFIG_FILE) before it builds the package.
#
# A package must find its fonts and map after the build folder is gone: refuse one
# whose litfass/litfassctl have another folder compiled in than the one it installs.
set(_share "${CPACK_PACKAGING_INSTALL_PREFIX}/share/litfass")
if(NOT CPACK_LITFASS_FONT_DIR STREQUAL "${_share}/fonts" OR
   NOT CPACK_LITFASS_ASSET_DIR STREQUAL "${_share}/assets")
  message(FATAL_ERROR "litfass: this build has LITFASS_FONT_DIR=${CPACK_LITFASS_FONT_DIR} "
    "and LITFASS_ASSET_DIR=${CPACK_LITFASS_ASSET_DIR} compiled in, but the package installs "
    "them in ${_share}/fonts and ${_share}/assets: configure with "
    "-DLITFASS_FONT_DIR=${_share}/fonts -DLITFASS_ASSET_DIR=${_share}/assets "
    "(toolchain/dev package ARCH does)")
endif()

# The unit is Type=notify with a watchdog: without libsystemd (sd_notify) the service
# would never be ready and be killed.
if(NOT CPACK_LITFASS_SYSTEMD)
  message(FATAL_ERROR "litfass: built without libsystemd, so without sd_notify; install "
    "libsystemd-dev (or the sysroot's) and build again")
endif()

# Cross builds: dpkg-shlibdeps finds the target's libraries in the sysroot and their
# packages in the sysroot's dpkg database (toolchain/sysroot registers them there).
if(CPACK_LITFASS_SYSROOT)
  if(NOT EXISTS "${CPACK_LITFASS_SYSROOT}/var/lib/dpkg/info")
    message(FATAL_ERROR "litfass: ${CPACK_LITFASS_SYSROOT} has no dpkg database for "
      "dpkg-shlibdeps; rebuild it with toolchain/sysroot")
  endif()
  set(ENV{DPKG_ADMINDIR} "${CPACK_LITFASS_SYSROOT}/var/lib/dpkg")
  set(ENV{DEB_HOST_ARCH} "${CPACK_DEBIAN_PACKAGE_ARCHITECTURE}")
endif()
