// SPDX-License-Identifier: Apache-2.0
// A sans-IO SMP server behaving like Zephyr's mcumgr (subsys/mgmt/mcumgr/smp/src/smp.c
// with the OS and image groups) on a simulated MCUboot board. Feed it whole request
// packets; it returns the response packets (indefinite-length CBOR maps, `bf … ff`, like
// zcbor emits), answering in the request's protocol version: v2 group errors
// {"err": {"group", "rc"}}, v1 requests get them translated to {"rc"}. SMP-level errors
// (unknown command, bad CBOR, too-new version) are {"rc": n} in both versions.
//
// A reset request is answered first; the output then asks the host to reset the board
// (call reboot() after resetDelayMs). Not thread-safe; one server per board, no global
// state, so a simulator can host many boards.
#pragma once

#include "core/mcuboot/boot_loader.h"
#include "core/smp/server_image.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace otalab::core::smp {

// What os info ("format" letters) prints: Zephyr's uname-like fields.
struct OsInfoStrings {
    QString nodeName = QStringLiteral("unknown");            // n: hostname / Bluetooth name
    QString kernelRelease = QStringLiteral("v4.0.0");        // r: BUILD_VERSION
    QString kernelVersion = QStringLiteral("4.0.0");         // v: KERNEL_VERSION_STRING
    QString machine = QStringLiteral("arm");                 // m: CONFIG_ARCH
    QString processor = QStringLiteral("cortex-m4");         // p: PROCESSOR_NAME
    QString hardwarePlatform = QStringLiteral("nrf52840dk/nrf52840");   // i: board target
};

struct ServerConfig {
    std::uint32_t bufSize = 384;     // CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE (bytes per packet buffer)
    std::uint32_t bufCount = 4;      // CONFIG_MCUMGR_TRANSPORT_NETBUF_COUNT
    bool supportV1 = true;           // CONFIG_MCUMGR_SMP_SUPPORT_ORIGINAL_PROTOCOL
    int resetDelayMs = 250;          // CONFIG_MCUMGR_GRP_OS_RESET_MS
    // A request larger than one buffer never reaches SMP on a real board (the transport
    // drops it); true models that, false processes it anyway.
    bool dropOversizedRequests = true;
    OsInfoStrings os;
    ImageServerConfig image;
};

struct ServerOutput {
    QList<QByteArray> responses;     // whole SMP packets to send, in order
    bool resetRequested = false;     // reset the board (reboot()) after sending them...
    int resetDelayMs = 0;            // ...this many milliseconds later
    QStringList log;                 // faults and dropped input, for exchange logs
};

struct ServerStats {
    int requests = 0;
    int responses = 0;               // produced (including dropped/corrupted ones)
    int errorResponses = 0;          // {"rc"} or {"err"} answers
    int droppedResponses = 0;
    int corruptedResponses = 0;
    int ignoredInput = 0;            // packets ignored: board off, oversized, truncated header
};

class SmpServer {
public:
    explicit SmpServer(mcuboot::BootLoader& board, ServerConfig config = {});

    // One transport unit: normally one packet; several back-to-back packets are handled
    // in order, stopping at the first error like Zephyr. Nothing answers while the board
    // does not run.
    ServerOutput handle(QByteArrayView bytes);

    // Reset: the board boots (MCUboot may swap), the application's RAM state is lost.
    mcuboot::BootResult reboot();
    // The board was reset by someone else (power cycle): forget RAM state only.
    void onBoardReset();

    ImageServer& images() { return m_images; }
    const ServerConfig& config() const { return m_config; }
    const ServerStats& stats() const { return m_stats; }

    // --- fault hooks (deterministic, for tests and the simulator) ---
    void dropResponses(int count) { m_dropResponses = count; }          // next `count` answers vanish
    void corruptResponses(int count) { m_corruptResponses = count; }    // next `count` answers get a flipped byte
    // Once, when an upload chunk at an offset >= `offset` (not 0) arrives: the board has
    // forgotten the upload and answers {"off": 0}, so the client must restart.
    void restartUploadAt(std::uint32_t offset) { m_restartUploadAt = offset; }
    // Once, when an upload chunk at an offset >= `offset` arrives: the board resets before
    // answering (the chunk is lost, resetRequested with delay 0, nothing runs until reboot()).
    void resetDuringUploadAt(std::uint32_t offset) { m_resetDuringUploadAt = offset; }

private:
    struct RequestHeader {
        std::uint8_t op = 0;
        std::uint8_t version = 0;   // 0 = v1, 1 = v2, 2-3 = future
        std::uint16_t length = 0;
        std::uint16_t group = 0;
        std::uint8_t sequence = 0;
        std::uint8_t command = 0;
    };

    // rc != 0: answer {"rc": rc}; else the body.
    HandlerReply dispatch(const RequestHeader& header, QByteArrayView payload, ServerOutput& out);
    HandlerReply osGroup(const RequestHeader& header, QByteArrayView payload, ServerOutput& out);
    HandlerReply imageGroup(const RequestHeader& header, QByteArrayView payload);
    HandlerReply osInfo(QByteArrayView payload);
    HandlerReply bootloaderInfo(QByteArrayView payload);
    bool uploadFaultFires(const RequestHeader& header, QByteArrayView payload, std::optional<std::uint32_t>& threshold) const;
    QByteArray responsePacket(const RequestHeader& request, const QCborMap& body) const;
    void send(QByteArray packet, bool isError, ServerOutput& out);

    mcuboot::BootLoader& m_board;
    ServerConfig m_config;
    ImageServer m_images;
    ServerStats m_stats;
    int m_dropResponses = 0;
    int m_corruptResponses = 0;
    std::optional<std::uint32_t> m_restartUploadAt;
    std::optional<std::uint32_t> m_resetDuringUploadAt;
};

} // namespace otalab::core::smp
