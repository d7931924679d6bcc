// SPDX-License-Identifier: Apache-2.0
// Configuration and per-device policy of the sans-IO OTA Upgrade server.
#pragma once

#include <cstdint>
#include <optional>

namespace otalab::core::zigbee {

// When a client that reported SUCCESS in Upgrade End Request should apply its image.
struct UpgradeTimePolicy {
    enum class Mode : std::uint8_t {
        Now,          // upgradeTime = currentTime
        Delay,        // upgradeTime = currentTime + delaySeconds
        WaitForever,  // upgradeTime = 0xFFFFFFFF; OtaServer::releaseUpgrade() sends the go later
    };
    Mode mode = Mode::Now;
    std::uint32_t delaySeconds = 0;  // seconds (the wire unit of upgradeTime)
};

// What one device may be offered. The default policy upgrades to the newest matching image.
struct OtaDevicePolicy {
    bool authorized = true;      // false: queries get NOT_AUTHORIZED, block requests ABORT
    bool allowUpgrade = true;    // offer versions newer than the running one
    bool allowDowngrade = false; // offer older versions
    bool allowReinstall = false; // offer the running version again
    std::optional<std::uint32_t> pinnedFileVersion;  // offer only this version (still subject to the three flags)
    UpgradeTimePolicy upgradeTime;
};

// Server-side WAIT_FOR_DATA use.
struct WaitForDataPolicy {
    // Before this time (ms, caller's clock) every block request is answered WAIT_FOR_DATA with
    // requestTime = this time ("image staged but not released yet"). 0 = off.
    std::int64_t dataAvailableAtMs = 0;
    // At most this many clients downloading at once (0 = unlimited); others get WAIT_FOR_DATA
    // with requestTime = now + busyRetryDelayMs (rounded up to whole seconds on the wire).
    int maxConcurrentDownloads = 0;
    std::int64_t busyRetryDelayMs = 60'000;
    // Rate limit (ms): a client that did not advertise at least this MinimumBlockPeriod in its
    // first Image Block Request is told so through WAIT_FOR_DATA (requestTime = currentTime,
    // MinimumBlockPeriod = this, in the wire unit of the configured cluster revision), the way
    // Silicon Labs' ota-server plugin slows clients down. Also sent in every other WAIT_FOR_DATA.
    std::int64_t minimumBlockPeriodMs = 0;
};

// Defaults follow zigbee-herdsman's OTA server as summarised in shared/PROTOCOLS.md (seed
// 000): blocks of min(50, maximumDataSize) bytes, 250 ms before each block response
// (≈200 B/s), 150 s without a request ends the session (herdsman's request timeout).
struct OtaServerConfig {
    int clusterRevision = 3;                // fixes the MinimumBlockPeriod unit (see zcl_status.h)
    std::uint8_t maxBlockDataSize = 50;     // cap on image data per Image Block Response (bytes)
    std::int64_t blockResponseDelayMs = 250;  // delay before each block response (ms)
    std::int64_t controlResponseDelayMs = 0;  // delay before query / upgrade end / default responses (ms)
    // Server-wide throttle: block responses (to all clients together) leave at least this
    // far apart (ms). 0 = off.
    std::int64_t minResponseSpacingMs = 0;
    // Minimum spacing (ms) between block responses of one Image Page Request, whatever the
    // client asked as responseSpacing.
    std::int64_t minPageResponseSpacingMs = 0;
    std::int64_t sessionTimeoutMs = 150'000;  // a downloading client silent this long is dropped
    // Zigbee UTC (seconds since 2000-01-01) at now == 0; fills currentTime / requestTime /
    // upgradeTime. Default 2025-01-01T00:00:00Z.
    std::uint32_t utcAtZero = 788'918'400;
    WaitForDataPolicy waitForData;
    OtaDevicePolicy defaultPolicy;
};

} // namespace otalab::core::zigbee
