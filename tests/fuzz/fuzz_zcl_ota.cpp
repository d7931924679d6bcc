// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as every OTA cluster command payload, as whole ZCL frames
// fed to an OtaServer and to an OtaClient in the middle of a download, and as timer firings.
#include "core/zigbee/ota_builder.h"
#include "core/zigbee/ota_client.h"
#include "core/zigbee/ota_commands.h"
#include "core/zigbee/ota_server.h"
#include "core/zigbee/zcl_frame.h"

#include <cstddef>
#include <cstdint>

namespace {

using namespace otalab::core::zigbee;

std::shared_ptr<const QByteArray> image()
{
    static const auto file = [] {
        OtaBuildSpec spec;
        spec.header.manufacturerCode = 0x1234;
        spec.header.imageType = 0x0001;
        spec.header.fileVersion = 0x02000000;
        spec.firmware = QByteArray(300, 'x');
        spec.integrityCode = IntegrityConvention::BeforeElement;
        auto bytes = buildOtaFile(spec);
        return std::make_shared<const QByteArray>(bytes ? *bytes : QByteArray());
    }();
    return file;
}

void decodeAll(QByteArrayView b)
{
    (void)decodeZclFrame(b);
    (void)decodeImageNotify(b);
    (void)decodeQueryNextImageRequest(b);
    (void)decodeQueryImageResponse(b);
    (void)decodeImageBlockRequest(b);
    (void)decodeImagePageRequest(b);
    (void)decodeImageBlockResponse(b);
    (void)decodeUpgradeEndRequest(b);
    (void)decodeUpgradeEndResponse(b);
    (void)decodeQueryDeviceSpecificFileRequest(b);
    (void)decodeDefaultResponse(b);
}

// Delivers the server's frames to the client (and back) for a few rounds, so the client is
// in a realistic state; fires armed timers the same way.
void exchange(std::int64_t& now, OtaServer& server, OtaClient& client, OtaActions clientOut, int rounds)
{
    for (int i = 0; i < rounds && !clientOut.empty(); ++i) {
        OtaActions serverOut;
        for (const auto& a : clientOut) {
            if (const auto* s = std::get_if<SendFrame>(&a))
                server.handle(now, 0x1001, s->frame, serverOut);
        }
        clientOut.clear();
        for (const auto& a : serverOut) {
            if (const auto* s = std::get_if<SendFrame>(&a)) {
                now = std::max(now, s->at);
                client.handle(now, 0x0000, s->frame, clientOut);
            } else if (const auto* t = std::get_if<ArmTimer>(&a)) {
                OtaActions more;
                server.onTimer(std::max(now, t->at), t->id, more);
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char*>(data), qsizetype(size));
    decodeAll(input);

    OtaServerConfig sc;
    sc.blockResponseDelayMs = 0;
    OtaServer server(sc);
    if (!server.addImage(image()))
        return 0;
    MemoryOtaFlash flash(4096);
    OtaClientConfig cc;
    cc.manufacturerCode = 0x1234;
    cc.imageType = 0x0001;
    cc.currentFileVersion = 0x01000000;
    cc.usePageRequests = size > 0 && (data[0] & 1);
    std::uint32_t rng = 1;
    OtaClient client(cc, flash, [&rng] { return rng = rng * 1664525u + 1013904223u; });

    std::int64_t now = 0;
    OtaActions out;
    client.queryNow(now, out);
    exchange(now, server, client, std::move(out), 1 + (size > 1 ? data[1] % 8 : 0));

    // The input as a sequence of frames: [u8 length][bytes], each given to both machines,
    // interleaved with timer firings chosen by the length byte.
    qsizetype pos = 0;
    while (pos < input.size()) {
        const auto len = qsizetype(std::uint8_t(input[pos++]));
        const QByteArrayView frame = input.sliced(pos, std::min(len, input.size() - pos));
        pos += frame.size();
        now += len * 37;
        OtaActions a;
        client.handle(now, 0x0000, frame, a);
        server.handle(now, 0x1001, frame, a);
        client.onTimer(now, OtaTimerId(1 + len % 5), a);
        server.onTimer(now, len % 2 ? OtaServer::pageTimerId(0x1001) : OtaServer::sessionTimerId(0x1001), a);
        decodeAll(frame);
    }
    return 0;
}
