# Cross-building for arm64 boards (Raspberry Pi class): toolchain/dev cross arm64.
# The sysroot comes from toolchain/sysroot arm64 (Debian bookworm -dev packages);
# tests run under qemu-user through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
if(NOT LITFASS_SYSROOT)
  set(LITFASS_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build/sysroot-arm64")
endif()
set(CMAKE_SYSROOT "${LITFASS_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${LITFASS_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config answers for the target, not the host
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${LITFASS_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
    "${LITFASS_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${LITFASS_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_CROSSCOMPILING_EMULATOR "qemu-aarch64;-L;${LITFASS_SYSROOT}")
