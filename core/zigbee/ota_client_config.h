// SPDX-License-Identifier: Apache-2.0
// Configuration of the sans-IO OTA Upgrade client. All durations are milliseconds.
#pragma once

#include "core/crypto/pkey.h"
#include "core/zigbee/ota_cluster_actions.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::core::zigbee {

// Defaults match Silicon Labs' ota-client plugin configuration (ota-client-config.h):
// QUERY_DELAY_MINUTES 5, DOWNLOAD_ERROR_THRESHOLD 10 (abort after 10 sequential failures =
// the first try + 9 retries), PAGE_REQUEST_SIZE 1024. The 10 s per-request timeout covers a
// sleepy end device's parent holding the response 7.68 s. An Upgrade End "wait"
// (0xFFFFFFFF) is re-asked every 60 min and the image applied after 3 unanswered re-asks when
// UpgradeTimeoutPolicy = 0, as the cluster text says ("three successive failures"); Silicon
// Labs' UPGRADE_WAIT_THRESHOLD is 10 — set unansweredUpgradeEndLimit to match it if wanted.
struct OtaClientConfig {
    int clusterRevision = 3;  // fixes the MinimumBlockPeriod unit (see zcl_status.h)

    // Identity (initial attribute values).
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t currentFileVersion = 0;
    std::uint16_t stackVersion = 0x0002;  // ZigBee PRO
    std::optional<std::uint16_t> hardwareVersion;  // sent in Query Next Image Request when set
    std::uint64_t ieeeAddress = 0;                  // own EUI64
    std::uint32_t imageStamp = 0;
    std::uint8_t upgradeActivationPolicy = 0;  // 0: the server's upgrade time; 1: out-of-band (applyNow())
    std::uint8_t upgradeTimeoutPolicy = 0;     // 0: apply after unanswered re-asks; 1: keep waiting

    // Server.
    NwkAddress serverAddress = 0x0000;  // the coordinator by default
    std::uint64_t serverIeee = 0;       // written to UpgradeServerID on the server's first answer

    // Queries.
    std::int64_t firstQueryDelayMs = 0;        // start(): first query this long after now
    std::int64_t queryPeriodMs = 5 * 60'000;   // periodic Query Next Image; 0 = only on notify / queryNow()
    std::int64_t notifyQuerySpreadMs = 0;      // after an accepted Image Notify, query after uniform [0, spread]

    // Download.
    std::uint8_t maxDataSize = 64;              // Maximum data size asked in block/page requests (bytes)
    bool usePageRequests = false;               // Image Page Request instead of Image Block Request
    std::uint16_t pageSize = 1024;              // bytes per page
    std::uint16_t responseSpacingMs = 100;      // asked spacing between page responses (ms)
    bool sendIeeeInRequests = false;            // field control bit 0 of block/page requests
    bool sendMinimumBlockPeriod = false;        // field control bit 1 of block requests
    std::int64_t minimumBlockPeriodMs = 0;      // initial MinimumBlockPeriod (the server may raise it)
    std::int64_t requestTimeoutMs = 10'000;     // per request (per block within a page)
    int maxRetries = 9;                         // retries after the first try before giving up
    std::int64_t minWaitForDataMs = 1'000;      // floor for WAIT_FOR_DATA waits (no busy ping-pong)

    // Upgrade end.
    std::int64_t upgradeRequeryPeriodMs = 60 * 60'000;  // "wait" re-ask period (spec: at most hourly)
    int unansweredUpgradeEndLimit = 3;                  // apply after this many silent re-asks (policy 0)

    // Offers (Query Next Image Response SUCCESS), as Silicon Labs' ota-client checks them in
    // queryNextImageResponseParse: with ignoreSameVersionOffer an offer of the running
    // FileVersion is not downloaded ("returned same FileVersion as currently installed");
    // with disableDowngrades (its disableOtaDowngrades) an older one is refused with an
    // Upgrade End Request INVALID_IMAGE ("OTA Downgrades Disabled"). Off: the client follows
    // the server (the ZCL OTA server decides re-installs and downgrades).
    bool ignoreSameVersionOffer = false;
    bool disableDowngrades = false;

    // Verification: when not empty, a downloaded image must carry a signature one of these
    // keys verifies. The integrity code, if present, is always checked.
    std::vector<crypto::PKey> verificationKeys;

    // Seed of the built-in deterministic RNG (used when no random source is injected).
    std::uint64_t rngSeed = 0x0A1B2C3D4E5F6071;
};

} // namespace otalab::core::zigbee
