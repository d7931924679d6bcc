// SPDX-License-Identifier: Apache-2.0
// SMP upload figures (issue 5): (a) image bytes per wire byte over serial, (b) upload time
// of a 256 KiB image over a simulated 115200-baud link against its physical floor, with
// window 1 and the default window, (c) throughput over real UDP loopback (the UDP plugin,
// SmpSession and an in-process SmpServer) with and without pipelining. Plain stdout table.
#include "app/hw/smp_session.h"
#include "app/hw/transport_registry.h"
#include "core/mcuboot/image_creator.h"
#include "core/smp/client_upload.h"
#include "core/smp/serial_framing.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"
#include "core/smp/smp_server.h"
#include "sim/smp/smptestbed.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace otalab;
using core::smp::UploadOperation;
using core::smp::UploadOptions;

namespace {

constexpr int kImageBody = 256 * 1024 - 32 - 48;   // header and TLVs make the file ~256 KiB

QByteArray makeImage(int bodySize, const char* version, std::uint32_t seed)
{
    QByteArray body(bodySize, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (int i = 0; i < bodySize; ++i) {
        x = x * 1664525u + 1013904223u;
        body[i] = char(x >> 24);
    }
    core::mcuboot::ImageCreateOptions options;
    options.padHeader = true;
    options.version = core::mcuboot::ImageVersion::parse(QString::fromLatin1(version)).value();
    return core::mcuboot::createImage(body, options).value();
}

// --- (a) and (b): the simulated serial board ----------------------------------------------

struct SimRun {
    double seconds = 0;
    std::int64_t upWire = 0;
    std::int64_t downWire = 0;
    int packetLimit = 0;
    int window = 0;
    int chunks = 0;
    double eraseSeconds = 0;
    double writeSeconds = 0;
    bool ok = false;
};

// usedBoard: the secondary slot holds a previous image (as after an earlier upgrade), so
// the board erases the slot before it answers the first chunk.
SimRun simulateUpload(const QByteArray& image, const QVariantMap& options, std::optional<int> window,
                      bool usedBoard = false, const QString& link = QStringLiteral("serial"))
{
    auto config = sim::parseSmpSimSpec(link, options);
    if (!config) {
        std::printf("bad sim spec: %s\n", qPrintable(config.error().toString()));
        return {};
    }
    sim::SmpTestbed tb(*config);
    if (!tb.device().install(makeImage(20000, "1.0.0", 1))) {
        std::printf("cannot install the first image\n");
        return {};
    }
    if (usedBoard && !tb.device().board().flash().program(core::mcuboot::kSecondarySlot, makeImage(250000, "0.9.0", 4))) {
        std::printf("cannot program the previous image\n");
        return {};
    }
    UploadOptions uo;
    uo.window = window;
    uo.maxPacketBytes = tb.link().maxPacketSize();
    UploadOperation op(image, uo);
    sim::SmpHostOptions ho;
    ho.keepLog = false;
    sim::SmpOperationHost& host = tb.run(op, sim::SimTime::fromSecondsInt(3600), ho);
    SimRun r;
    r.ok = host.isFinished() && !host.failure();
    if (!r.ok)
        std::printf("upload failed: %s\n", host.failure() ? qPrintable(host.failure()->toString()) : "did not finish");
    r.seconds = (*host.finishedAt() - *host.startedAt()).toSeconds();
    r.upWire = tb.link().stats().hostWireBytes;
    r.downWire = tb.link().stats().deviceWireBytes;
    r.packetLimit = op.maxPacketBytes();
    r.window = op.window();
    r.chunks = op.stats().chunksSent;
    r.eraseSeconds = tb.device().stats().flashErase.toSeconds();
    r.writeSeconds = tb.device().stats().flashWrite.toSeconds();
    return r;
}

// Where the bytes of one mid-upload chunk go: image data, SMP header + CBOR, serial frame
// (length + CRC), base64 expansion and padding, line markers and newlines.
void chunkAnatomy(int packetLimit)
{
    core::smp::UploadChunk chunk;
    chunk.offset = 128 * 1024;
    const int data = core::smp::uploadChunkCapacity(packetLimit, chunk);
    chunk.data = QByteArray(data, 'x');
    const core::smp::Request request = core::smp::uploadRequest(chunk);
    core::smp::Header header;
    header.op = request.op;
    header.group = request.group;
    header.command = request.command;
    const QByteArray packet = core::smp::encodePacket(header, request.payload);
    qint64 wire = 0;
    const QList<QByteArray> lines = core::smp::encodeSerialFrame(packet);
    for (const QByteArray& l : lines)
        wire += l.size();
    const qint64 frame = packet.size() + 4;
    const qint64 b64 = (frame + 2) / 3 * 4;
    std::printf("    packet limit %4d: data %4d | +SMP hdr 8 +CBOR %2lld = packet %4lld | +len/CRC 4 = frame %4lld | "
                "base64 %4lld | +%d lines x 3 = wire %4lld  → %.4f image/wire\n",
                packetLimit, data, qlonglong(packet.size() - 8 - data), qlonglong(packet.size()), qlonglong(frame),
                qlonglong(b64), int(lines.size()), qlonglong(wire), double(data) / double(wire));
}

void serialFigures()
{
    const QByteArray image = makeImage(kImageBody, "1.1.0", 2);
    const double floor = double(image.size()) * 10.0 / 115200.0;
    const double floor64 = floor * 4.0 / 3.0;
    std::printf("Image: %lld bytes (MCUboot, %.1f KiB)\n\n", qlonglong(image.size()), image.size() / 1024.0);

    std::printf("(a) image bytes per wire byte, serial host → board (base64 caps it at 0.75; with 127-byte lines "
                "of 124 base64 characters: 0.75 × 124/127 = %.4f)\n", 0.75 * 124.0 / 127.0);
    std::printf("    %-34s %7s %6s %9s %9s %8s\n", "board buffers", "packet", "chunks", "up wire", "image/up",
                "img/all");
    for (int bufSize : {384, 1024, 2048, 4096}) {
        QVariantMap o;
        o.insert(QStringLiteral("buf_size"), QString::number(bufSize));
        const SimRun r = simulateUpload(image, o, std::nullopt);
        std::printf("    buf_size %4d, buf_count 4%-14s %7d %6d %9lld %9.4f %8.4f\n", bufSize,
                    bufSize == 384 ? " (Zephyr)" : "", r.packetLimit, r.chunks, qlonglong(r.upWire),
                    double(image.size()) / double(r.upWire), double(image.size()) / double(r.upWire + r.downWire));
    }
    std::printf("  one chunk, byte by byte:\n");
    for (int limit : {380, 2044})
        chunkAnatomy(limit);

    std::printf("\n(b) upload time over a simulated 115200-baud UART (virtual time)\n");
    std::printf("    physical floor %.2f s (%lld B × 10 bit / 115200), base64 floor %.2f s (× 4/3)\n", floor,
                qlonglong(image.size()), floor64);
    std::printf("    %-40s %6s %8s %8s %8s %8s %8s\n", "setup", "window", "time s", "/floor", "/b64flr", "erase s",
                "write s");
    struct Case {
        const char* name;
        int bufSize;
        int paceUs;
        std::optional<int> window;
        bool used;
    };
    const Case cases[] = {
        {"buf 384, back-to-back lines", 384, 0, 1, false},
        {"buf 384, back-to-back lines", 384, 0, std::nullopt, false},
        {"buf 384, pace_us=1000 (serial plugin)", 384, 1000, std::nullopt, false},
        {"buf 384, slot held an old image", 384, 0, std::nullopt, true},
        {"buf 2048, back-to-back lines", 2048, 0, 1, false},
        {"buf 2048, back-to-back lines", 2048, 0, std::nullopt, false},
    };
    for (const Case& c : cases) {
        QVariantMap o;
        o.insert(QStringLiteral("buf_size"), QString::number(c.bufSize));
        o.insert(QStringLiteral("pace_us"), QString::number(c.paceUs));
        const SimRun r = simulateUpload(image, o, c.window, c.used);
        std::printf("    %-40s %6d %8.2f %8.3f %8.3f %8.2f %8.2f%s\n", c.name, r.window, r.seconds, r.seconds / floor,
                    r.seconds / floor64, r.eraseSeconds, r.writeSeconds, r.ok ? "" : "  FAILED");
    }
    std::printf("    (board: nRF52840 flash timing, 85 ms per 4 KiB page erased before the first chunk is answered, "
                "41 µs per word written)\n");

    std::printf("\n(b') the same image over the other simulated links (defaults of sim:ble and sim:udp)\n");
    std::printf("    %-40s %6s %8s %9s\n", "link", "window", "time s", "KiB/s");
    struct Other {
        const char* name;
        const char* link;
        std::optional<int> window;
    };
    const Other others[] = {
        {"ble: 30 ms, MTU 247, DLE, 4 PDUs/event", "ble", 1},
        {"ble: 30 ms, MTU 247, DLE, 4 PDUs/event", "ble", std::nullopt},
        {"udp: 10 Mbit/s, 1 ms one way", "udp", 1},
        {"udp: 10 Mbit/s, 1 ms one way", "udp", std::nullopt},
    };
    for (const Other& c : others) {
        const SimRun r = simulateUpload(image, {}, c.window, false, QString::fromLatin1(c.link));
        std::printf("    %-40s %6d %8.2f %9.1f%s\n", c.name, r.window, r.seconds, image.size() / 1024.0 / r.seconds,
                    r.ok ? "" : "  FAILED");
    }
}

// --- (c): real UDP loopback -------------------------------------------------------------

struct UdpRun {
    double seconds = 0;
    bool ok = false;
    QString error;
};

bool waitFor(const std::function<bool()>& done, int limitMs)
{
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > limitMs)
            loop.quit();
    });
    tick.start(1);
    if (!done())
        loop.exec();
    return done();
}

// The board runs on its own thread (its serving UDP transport is moved there before it
// opens), so client and board use both cores like two programs would.
UdpRun udpUpload(hw::TransportRegistry& registry, const QByteArray& image, int window)
{
    UdpRun run;
    core::mcuboot::BootLoader board;
    core::smp::ServerConfig config;
    config.bufSize = 2048;
    config.bufCount = 9;
    core::smp::SmpServer server(board, config);
    if (!board.flash().program(core::mcuboot::kPrimarySlot, makeImage(20000, "1.0.0", 1)) || !server.reboot().booted) {
        run.error = QStringLiteral("the board does not boot");
        return run;
    }
    auto served = registry.create(QStringLiteral("udp:127.0.0.1:0"), nullptr, true);
    if (!served) {
        run.error = served.error().toString();
        return run;
    }
    std::unique_ptr<core::transport::Transport> serve(*served);
    QThread boardThread;
    boardThread.start();
    serve->moveToThread(&boardThread);
    QMetaObject::invokeMethod(
        serve.get(),
        [&] {
            QObject::connect(serve.get(), &core::transport::Transport::packetReceived, serve.get(),
                             [&](const QByteArray& request) {
                                 for (const QByteArray& response : server.handle(request).responses)
                                     serve->send(response);
                             });
            serve->open();
        },
        Qt::BlockingQueuedConnection);
    const auto stopBoard = [&] {
        QMetaObject::invokeMethod(serve.get(), [&] { serve->close(); }, Qt::BlockingQueuedConnection);
        boardThread.quit();
        boardThread.wait();
    };
    if (!waitFor([&] { return serve->property("localPort").toInt() != 0; }, 5000)) {
        stopBoard();
        run.error = QStringLiteral("the UDP server does not open");
        return run;
    }
    const int port = serve->property("localPort").toInt();

    auto created = registry.create(QStringLiteral("udp:127.0.0.1:%1").arg(port), nullptr);
    if (!created) {
        stopBoard();
        run.error = created.error().toString();
        return run;
    }
    std::unique_ptr<core::transport::Transport> client(*created);
    UploadOptions uo;
    uo.window = window;
    uo.maxPacketBytes = client->maxPacketSize();
    {
        hw::SmpSession session(client.get(), std::make_unique<UploadOperation>(image, uo));
        bool finished = false;
        QObject::connect(&session, &hw::SmpSession::finished, &session, [&](bool ok, const QString& message) {
            finished = true;
            run.ok = ok;
            run.error = message;
        });
        QElapsedTimer clock;
        clock.start();
        session.start();
        waitFor([&] { return finished; }, 60000);
        run.seconds = clock.nsecsElapsed() / 1e9;
    }
    client->close();
    stopBoard();
    if (run.ok && board.flash().read(core::mcuboot::kSecondarySlot, 0, image.size()) != image) {
        run.ok = false;
        run.error = QStringLiteral("the secondary slot does not hold the image");
    }
    return run;
}

void udpFigures()
{
    std::printf("\n(c) upload over real UDP loopback (udp plugin + SmpSession ↔ udp plugin serving an SmpServer on "
                "its own thread; buf_size 2048, buf_count 9; packets ≤ 1472 B; flash writes are memory copies)\n");
    hw::TransportRegistry registry;
    const QByteArray image = makeImage(kImageBody, "1.1.0", 3);
    constexpr int kRuns = 15;
    std::printf("    %6s %10s %10s %8s   (median of %d runs)\n", "window", "time ms", "KiB/s", "× w=1", kRuns);
    double base = 0;
    for (int window : {1, 4, 8}) {
        std::vector<double> times;
        for (int i = 0; i < kRuns; ++i) {
            const UdpRun r = udpUpload(registry, image, window);
            if (!r.ok) {
                std::printf("    window %d failed: %s\n", window, qPrintable(r.error));
                return;
            }
            times.push_back(r.seconds);
        }
        std::sort(times.begin(), times.end());
        const double t = times[times.size() / 2];
        const double rate = image.size() / 1024.0 / t;
        if (window == 1)
            base = rate;
        std::printf("    %6d %10.1f %10.0f %8.2f\n", window, t * 1000.0, rate, rate / base);
    }
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QElapsedTimer clock;
    clock.start();
    serialFigures();
    udpFigures();
    std::printf("\n(total %.1f s)\n", clock.elapsed() / 1000.0);
    return 0;
}
