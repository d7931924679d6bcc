// SPDX-License-Identifier: Apache-2.0
// The simulated Zephyr SMP server on a simulated MCUboot board: response bytes of every
// command, v1 and v2 errors, upload with resume and its refusals, image state through
// test / revert / confirm, fault hooks, and the project's own client against it.
#include "core/mcuboot/boot_loader.h"
#include "core/mcuboot/image_creator.h"
#include "core/mcuboot/image_crypto.h"
#include "core/mcuboot/image_parser.h"
#include "core/smp/client_upgrade.h"
#include "core/smp/server_cbor.h"
#include "core/smp/smp_error.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_packet.h"
#include "core/smp/smp_server.h"
#include "mcuboot_fixtures.h"
#include "smp_loopback.h"

#include <QCborArray>
#include <gtest/gtest.h>

namespace otalab::core::smp {
namespace {

using mcuboot::BootLoader;
using mcuboot::BootStrategy;
using mcuboot::kPrimarySlot;
using mcuboot::kSecondarySlot;
using test::mcuboot::testKey;

QByteArray makeImage(const char* version, int bodySize = 5000, bool trustedKey = true)
{
    mcuboot::ImageCreateOptions o;
    o.padHeader = true;
    o.version = *mcuboot::ImageVersion::parse(QString::fromLatin1(version));
    o.signingKey = testKey(trustedKey ? QStringLiteral("ed25519.pem") : QStringLiteral("ecdsa-p256.pem"));
    QByteArray body(bodySize, '\0');
    const int seed = int(qHash(QByteArray(version)));
    for (int i = 0; i < bodySize; ++i)
        body[i] = char((i * 13 + seed) & 0xff);
    return mcuboot::createImage(body, o).value_or(QByteArray());
}

QByteArray tlvHash(const QByteArray& image)
{
    auto parsed = mcuboot::parseImage(image);
    return parsed ? parsed->unprotectedTlvs.find(mcuboot::TlvSha256)->value : QByteArray();
}

mcuboot::FlashGeometry smallFlash()
{
    mcuboot::FlashGeometry g;
    g.primarySize = g.secondarySize = 16 * 1024;
    g.sectorSize = 1024;
    g.maxImageSectors = 16;
    return g;
}

struct Bench {
    explicit Bench(BootStrategy strategy = BootStrategy::SwapMove, ServerConfig config = {})
        : board(smallFlash(), bootConfig(strategy)), server(board, std::move(config))
    {
        EXPECT_TRUE(board.flash().program(kPrimarySlot, v1));
        EXPECT_TRUE(server.reboot().booted);
    }

    static mcuboot::BootConfig bootConfig(BootStrategy strategy)
    {
        mcuboot::BootConfig c;
        c.strategy = strategy;
        c.keys = {testKey(QStringLiteral("ed25519.pub.pem"))};
        return c;
    }

    QByteArray packet(const Request& r, ProtocolVersion version = ProtocolVersion::V2, std::uint8_t seq = 7)
    {
        Header h;
        h.version = version;
        h.op = r.op;
        h.group = r.group;
        h.command = r.command;
        h.sequence = seq;
        return encodePacket(h, r.payload);
    }

    // Exactly one answer expected; returns it decoded.
    Packet call(const Request& r, ProtocolVersion version = ProtocolVersion::V2)
    {
        last = server.handle(packet(r, version));
        EXPECT_EQ(last.responses.size(), 1);
        if (last.responses.isEmpty())
            return {};
        auto p = decodePacket(last.responses.first());
        EXPECT_TRUE(p) << p.error().toString().toStdString();
        return p.value_or(Packet{});
    }

    ImageStateResponse state()
    {
        auto s = parseImageStateResponse(call(imageStateReadRequest()).payload);
        EXPECT_TRUE(s);
        return s.value_or(ImageStateResponse{});
    }

    UploadChunk chunk(const QByteArray& image, std::uint32_t off, int size = 240)
    {
        UploadChunk c;
        c.offset = off;
        c.data = image.mid(off, size);
        if (off == 0) {
            c.totalLength = std::uint32_t(image.size());
            c.sha = mcuboot::sha256(image);
        }
        return c;
    }

    // Uploads `image` from `from`, following the offsets the board answers.
    UploadResponse upload(const QByteArray& image, std::uint32_t from = 0, int chunkSize = 240)
    {
        std::uint32_t off = from;
        UploadResponse r;
        for (int guard = 0; guard < 1000; ++guard) {
            const Packet p = call(uploadRequest(chunk(image, off, chunkSize)));
            auto parsed = parseUploadResponse(p.payload);
            EXPECT_TRUE(parsed) << describePacket(p).toStdString();
            if (!parsed)
                return r;
            r = *parsed;
            if (r.nextOffset >= std::uint32_t(image.size()))
                return r;
            off = r.nextOffset;
        }
        ADD_FAILURE() << "upload did not finish";
        return r;
    }

    QByteArray v1 = makeImage("1.0.0");
    QByteArray v2 = makeImage("2.0.0", 7000);
    BootLoader board;
    SmpServer server;
    ServerOutput last;
};

std::optional<DeviceError> errorOf(const Packet& p) { return responseError(p.payload); }
// The error code of an answer, -1 for success.
int rcOf(const Packet& p)
{
    const auto e = responseError(p.payload);
    return e ? e->rc : -1;
}

// --- OS group -------------------------------------------------------------------------

TEST(SmpServer, EchoMatchesZephyrByteForByte)
{
    Bench b;
    // PROTOCOLS.md: the serial example from Zephyr 4.4 (echo "hi", v2, seq 1).
    const ServerOutput out = b.server.handle(QByteArray::fromHex("0a00000600000100a16164626869"));
    ASSERT_EQ(out.responses.size(), 1);
    EXPECT_EQ(out.responses.first().toHex(), QByteArray("0b00000700000100bf6172626869ff"));
    EXPECT_FALSE(out.resetRequested);

    const Packet v1 = b.call(echoRequest(QStringLiteral("yo")), ProtocolVersion::V1);
    EXPECT_EQ(v1.header.version, ProtocolVersion::V1);
    EXPECT_EQ(v1.header.op, Op::WriteResponse);
    EXPECT_EQ(v1.header.sequence, 7);
    EXPECT_EQ(*parseEchoResponse(v1.payload), QStringLiteral("yo"));

    Request read = echoRequest(QStringLiteral("r"));
    read.op = Op::Read;   // Zephyr echoes on read too
    EXPECT_EQ(b.call(read).header.op, Op::ReadResponse);
}

TEST(SmpServer, ParamsInfoAndBootloaderInfo)
{
    Bench b;
    Packet p = b.call(paramsRequest());
    EXPECT_EQ(b.last.responses.first().mid(8).toHex(),
              QByteArray("bf68" "6275665f73697a65" "190180" "69" "6275665f636f756e74" "04" "ff"));
    auto params = parseParamsResponse(p.payload);
    ASSERT_TRUE(params);
    EXPECT_EQ(params->bufSize, 384u);
    EXPECT_EQ(params->bufCount, 4u);

    EXPECT_EQ(*parseOsInfoResponse(b.call(osInfoRequest()).payload), QStringLiteral("Zephyr"));
    EXPECT_EQ(*parseOsInfoResponse(b.call(osInfoRequest(QStringLiteral("a"))).payload),
              QStringLiteral("Zephyr unknown v4.0.0 4.0.0 arm cortex-m4 nrf52840dk/nrf52840 Zephyr"));
    EXPECT_EQ(*parseOsInfoResponse(b.call(osInfoRequest(QStringLiteral("om"))).payload), QStringLiteral("arm Zephyr"));

    auto bad = errorOf(b.call(osInfoRequest(QStringLiteral("sx"))));
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->group, 0);
    EXPECT_EQ(bad->rc, int(OsMgmtErr::InvalidFormat));
    bad = errorOf(b.call(osInfoRequest(QStringLiteral("sx")), ProtocolVersion::V1));
    ASSERT_TRUE(bad);
    EXPECT_FALSE(bad->group);
    EXPECT_EQ(bad->rc, int(MgmtErr::Inval));

    Request boot{Op::Read, std::uint16_t(Group::Os), os::BootloaderInfo, {}};
    EXPECT_EQ(b.call(boot).payload.value(QStringLiteral("bootloader")).toString(), QStringLiteral("MCUboot"));
    boot.payload.insert(QStringLiteral("query"), QStringLiteral("mode"));
    EXPECT_EQ(b.call(boot).payload.value(QStringLiteral("mode")).toInteger(), 3);   // swap using move
}

TEST(SmpServer, ResetAnswersAnEmptyMapThenAsksForTheReset)
{
    Bench b;
    const Packet p = b.call(resetRequest());
    EXPECT_EQ(b.last.responses.first().toHex(), QByteArray("0b000002" "0000" "07" "05" "bfff"));
    EXPECT_TRUE(p.payload.isEmpty());
    EXPECT_TRUE(b.last.resetRequested);
    EXPECT_EQ(b.last.resetDelayMs, 250);
}

TEST(SmpServer, SmpLevelErrorsAreRcInBothVersions)
{
    Bench b;
    Request unknown{Op::Read, 42, 0, {}};
    for (ProtocolVersion v : {ProtocolVersion::V1, ProtocolVersion::V2}) {
        const Packet p = b.call(unknown, v);
        EXPECT_EQ(b.last.responses.first().mid(8).toHex(), QByteArray("bf62726308ff"));   // {"rc": 8}
        EXPECT_EQ(p.header.version, v);
    }
    // Echo with "d" of the wrong type: zcbor's bulk decode fails → MGMT_ERR_EINVAL.
    Request badEcho{Op::Write, 0, os::Echo, {}};
    badEcho.payload.insert(QStringLiteral("d"), 5);
    EXPECT_EQ(rcOf(b.call(badEcho)), int(MgmtErr::Inval));

    // Header announces more payload than arrived: MGMT_ERR_ECORRUPT.
    QByteArray truncated = b.packet(echoRequest(QStringLiteral("hello")));
    truncated.chop(2);
    ServerOutput out = b.server.handle(truncated);
    ASSERT_EQ(out.responses.size(), 1);
    EXPECT_EQ(out.responses.first().mid(8).toHex(), QByteArray("bf62726309ff"));

    // Fewer than 8 bytes: no valid header, no answer.
    EXPECT_TRUE(b.server.handle(QByteArray::fromHex("0a0000")).responses.isEmpty());

    // A future protocol version: MGMT_ERR_UNSUPPORTED_TOO_NEW, answered as v2.
    QByteArray future = b.packet(echoRequest(QStringLiteral("x")));
    future[0] = char((2 << 3) | 2);
    out = b.server.handle(future);
    ASSERT_EQ(out.responses.size(), 1);
    EXPECT_EQ(out.responses.first().toHex().left(2), QByteArray("0b"));
    EXPECT_EQ(out.responses.first().mid(8).toHex(), QByteArray("bf6272630dff"));

    // A response sent to the server: not supported, answered as a write response.
    QByteArray response = b.packet(echoRequest(QStringLiteral("x")));
    response[0] = char((1 << 3) | 1);
    out = b.server.handle(response);
    ASSERT_EQ(out.responses.size(), 1);
    EXPECT_EQ(out.responses.first().toHex().left(2), QByteArray("0b"));
}

TEST(SmpServer, WithoutV1SupportOldRequestsAreRefused)
{
    ServerConfig c;
    c.supportV1 = false;
    Bench b(BootStrategy::SwapMove, c);
    EXPECT_EQ(rcOf(b.call(echoRequest(QStringLiteral("x")), ProtocolVersion::V1)),
              int(MgmtErr::UnsupportedTooOld));
}

TEST(SmpServer, BackToBackPacketsAreAnsweredInOrder)
{
    Bench b;
    const QByteArray two = b.packet(echoRequest(QStringLiteral("a")), ProtocolVersion::V2, 1)
                           + b.packet(echoRequest(QStringLiteral("b")), ProtocolVersion::V2, 2);
    const ServerOutput out = b.server.handle(two);
    ASSERT_EQ(out.responses.size(), 2);
    EXPECT_EQ(decodePacket(out.responses[1])->header.sequence, 2);
}

TEST(SmpServer, OversizedRequestsAndResponses)
{
    Bench b;
    const QString big(400, QLatin1Char('x'));
    EXPECT_TRUE(b.server.handle(b.packet(echoRequest(big))).responses.isEmpty());   // never reaches SMP
    EXPECT_EQ(b.server.stats().ignoredInput, 1);

    ServerConfig c;
    c.dropOversizedRequests = false;
    Bench lenient(BootStrategy::SwapMove, c);
    EXPECT_EQ(rcOf(lenient.call(echoRequest(big))), int(MgmtErr::MsgSize));
}

// --- image state ------------------------------------------------------------------------

TEST(SmpServerImage, StateReadListsTheRunningImage)
{
    Bench b;
    const Packet p = b.call(imageStateReadRequest());
    // Indefinite map, then "images" as an indefinite array of indefinite maps.
    EXPECT_TRUE(b.last.responses.first().mid(8).toHex().startsWith("bf66696d616765739fbf64736c6f7400"));
    EXPECT_EQ(p.payload.value(QStringLiteral("splitStatus")).toInteger(), 0);
    auto state = parseImageStateResponse(p.payload);
    ASSERT_TRUE(state);
    ASSERT_EQ(state->images.size(), 1);
    ImageSlotState expected;
    expected.slot = 0;
    expected.version = QStringLiteral("1.0.0");
    expected.hash = tlvHash(b.v1);
    expected.bootable = true;
    expected.confirmed = true;
    expected.active = true;
    EXPECT_EQ(state->images.first(), expected);
}

TEST(SmpServerImage, UploadTestRebootConfirm)
{
    Bench b;
    const UploadResponse done = b.upload(b.v2);
    EXPECT_EQ(done.nextOffset, std::uint32_t(b.v2.size()));
    ASSERT_TRUE(done.match);
    EXPECT_TRUE(*done.match);
    EXPECT_FALSE(b.server.images().uploadInProgress());

    ImageStateResponse s = b.state();
    ASSERT_EQ(s.images.size(), 2);
    EXPECT_EQ(s.images[1].version, QStringLiteral("2.0.0"));
    EXPECT_EQ(s.images[1].hash, tlvHash(b.v2));
    EXPECT_FALSE(s.images[1].pending);

    auto tested = parseImageStateResponse(b.call(imageTestRequest(tlvHash(b.v2))).payload);
    ASSERT_TRUE(tested);
    EXPECT_TRUE(tested->images[1].pending);
    EXPECT_FALSE(tested->images[1].permanent);
    EXPECT_FALSE(tested->images[1].confirmed);

    EXPECT_EQ(b.server.reboot().swapType, mcuboot::SwapType::Test);
    s = b.state();
    ASSERT_EQ(s.images.size(), 2);
    EXPECT_EQ(s.images[0].version, QStringLiteral("2.0.0"));
    EXPECT_TRUE(s.images[0].active);
    EXPECT_FALSE(s.images[0].confirmed);   // running on trial
    EXPECT_EQ(s.images[1].version, QStringLiteral("1.0.0"));
    EXPECT_TRUE(s.images[1].confirmed);    // what a revert returns to

    auto confirmed = parseImageStateResponse(b.call(imageConfirmRequest()).payload);
    ASSERT_TRUE(confirmed);
    EXPECT_TRUE(confirmed->images[0].confirmed);
    EXPECT_FALSE(confirmed->images[1].confirmed);
    b.server.reboot();
    EXPECT_EQ(b.state().images[0].version, QStringLiteral("2.0.0"));
}

TEST(SmpServerImage, UnconfirmedImageRevertsAtTheNextReset)
{
    Bench b;
    b.upload(b.v2);
    b.call(imageTestRequest(tlvHash(b.v2)));
    b.server.reboot();
    EXPECT_EQ(b.state().images[0].version, QStringLiteral("2.0.0"));
    EXPECT_EQ(b.server.reboot().swapType, mcuboot::SwapType::Revert);
    const ImageStateResponse s = b.state();
    EXPECT_EQ(s.images[0].version, QStringLiteral("1.0.0"));
    EXPECT_TRUE(s.images[0].confirmed);
    EXPECT_EQ(s.images[1].version, QStringLiteral("2.0.0"));
    EXPECT_FALSE(s.images[1].pending);
}

TEST(SmpServerImage, ConfirmingTheSecondaryMakesAPermanentSwap)
{
    Bench b;
    b.upload(b.v2);
    auto s = parseImageStateResponse(b.call(imageConfirmRequest(tlvHash(b.v2))).payload);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->images[1].pending);
    EXPECT_TRUE(s->images[1].permanent);
    EXPECT_EQ(b.server.reboot().swapType, mcuboot::SwapType::Perm);
    const ImageStateResponse after = b.state();
    EXPECT_TRUE(after.images[0].confirmed);
    EXPECT_EQ(after.images[0].version, QStringLiteral("2.0.0"));
}

TEST(SmpServerImage, StateWriteErrorsFollowZephyrInBothVersions)
{
    Bench b;
    b.upload(b.v2);
    struct Case {
        const char* what;
        Request request;
        ImgMgmtErr v2;
        MgmtErr v1;
    };
    const std::vector<Case> cases = {
        {"test without hash", Request{Op::Write, 1, image::State, QCborMap{{QStringLiteral("confirm"), false}}},
         ImgMgmtErr::InvalidHash, MgmtErr::Inval},
        {"short hash", imageTestRequest(QByteArray(16, 'h')), ImgMgmtErr::InvalidHash, MgmtErr::Inval},
        {"unknown hash", imageTestRequest(QByteArray(32, 'h')), ImgMgmtErr::HashNotFound, MgmtErr::Unknown},
        {"test the running image", imageTestRequest(tlvHash(b.v1)), ImgMgmtErr::ImageSettingTestToActiveDenied,
         MgmtErr::Unknown},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        auto e2 = errorOf(b.call(c.request));
        ASSERT_TRUE(e2);
        EXPECT_EQ(e2->group, 1);
        EXPECT_EQ(e2->rc, int(c.v2));
        auto e1 = errorOf(b.call(c.request, ProtocolVersion::V1));
        ASSERT_TRUE(e1);
        EXPECT_FALSE(e1->group);
        EXPECT_EQ(e1->rc, int(c.v1));
    }
    // Exact bytes of a v2 group error: {"err": {"group": 1, "rc": 8}} with both maps indefinite.
    b.call(imageTestRequest(QByteArray(32, 'h')));
    EXPECT_EQ(b.last.responses.first().mid(8).toHex(), QByteArray("bf" "63657272" "bf" "6567726f7570" "01" "627263" "08" "ff" "ff"));

    // Once a test is pending, a different request is refused; repeating it is fine.
    ASSERT_FALSE(errorOf(b.call(imageTestRequest(tlvHash(b.v2)))));
    EXPECT_FALSE(errorOf(b.call(imageTestRequest(tlvHash(b.v2)))));
    auto pending = errorOf(b.call(imageConfirmRequest(tlvHash(b.v2))));
    ASSERT_TRUE(pending);
    EXPECT_EQ(pending->rc, int(ImgMgmtErr::ImageAlreadyPending));
    EXPECT_EQ(rcOf(b.call(imageConfirmRequest(tlvHash(b.v2)), ProtocolVersion::V1)), int(MgmtErr::BadState));

    // Running on trial: setting the old image for test again is refused.
    b.server.reboot();
    EXPECT_EQ(rcOf(b.call(imageTestRequest(tlvHash(b.v1)))), int(ImgMgmtErr::ImageAlreadyPending));
}

// --- upload -------------------------------------------------------------------------------

TEST(SmpServerUpload, ResumeAndWrongOffsets)
{
    Bench b;
    Packet p = b.call(uploadRequest(b.chunk(b.v2, 0)));
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 240u);
    p = b.call(uploadRequest(b.chunk(b.v2, 240)));
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 480u);
    EXPECT_EQ(b.last.responses.first().mid(8).toHex(), QByteArray("bf636f66661901e0ff"));   // {"off": 480}

    // A chunk at the wrong offset is dropped; the answer names the expected one.
    p = b.call(uploadRequest(b.chunk(b.v2, 960)));
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 480u);

    // off 0 again with the same sha: resume where the board is.
    p = b.call(uploadRequest(b.chunk(b.v2, 0)));
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 480u);
    const UploadResponse done = b.upload(b.v2, 480);
    EXPECT_TRUE(done.match.value_or(false));
    EXPECT_EQ(b.board.flash().read(kSecondarySlot, 0, b.v2.size()), b.v2);

    // A different file at off 0 starts over.
    const QByteArray v3 = makeImage("3.0.0", 3000);
    b.call(uploadRequest(b.chunk(v3, 0)));
    p = b.call(uploadRequest(b.chunk(b.v2, 0)));
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 240u);
}

TEST(SmpServerUpload, ResetMidUploadLosesTheProgress)
{
    Bench b;
    for (std::uint32_t off = 0; off < 2400; off += 240)
        b.call(uploadRequest(b.chunk(b.v2, off)));
    EXPECT_EQ(b.server.images().uploadOffset(), 2400u);
    b.server.reboot();   // the partial slot stays, the RAM upload state does not
    EXPECT_FALSE(b.server.images().uploadInProgress());
    EXPECT_FALSE(b.board.flash().isErased(kSecondarySlot, 0, 16));
    Packet p = b.call(uploadRequest(b.chunk(b.v2, 2400)));
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 0u);   // no upload in progress
    p = b.call(uploadRequest(b.chunk(b.v2, 0)));                 // same sha, but from the start
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 240u);
    EXPECT_TRUE(b.upload(b.v2, 240).match.value_or(false));
}

TEST(SmpServerUpload, AnImageAlreadyInTheSlotCompletesAtOnce)
{
    Bench b;
    b.upload(b.v2);
    const Packet p = b.call(uploadRequest(b.chunk(b.v2, 0)));
    auto r = parseUploadResponse(p.payload);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->nextOffset, std::uint32_t(b.v2.size()));
    EXPECT_TRUE(r->match.value_or(false));
}

TEST(SmpServerUpload, RefusalsFollowZephyr)
{
    Bench b;
    auto first = [&](const QByteArray& image) { return b.chunk(image, 0); };
    UploadChunk notMcuboot = first(QByteArray(600, 'z'));
    UploadChunk tooBig = first(b.v2);
    tooBig.totalLength = 16 * 1024 + 1;
    UploadChunk noLen = first(b.v2);
    noLen.totalLength.reset();
    UploadChunk shortHeader = first(b.v2);
    shortHeader.data = b.v2.left(20);
    UploadChunk older = first(makeImage("0.9.0"));
    older.upgrade = true;
    UploadChunk same = first(makeImage("1.0.0", 4000));
    same.upgrade = true;
    Request noOff = uploadRequest(first(b.v2));
    noOff.payload.remove(QStringLiteral("off"));
    struct Case {
        const char* what;
        Request request;
        ImgMgmtErr v2;
        MgmtErr v1;
    };
    const std::vector<Case> cases = {
        {"not an MCUboot image", uploadRequest(notMcuboot), ImgMgmtErr::InvalidImageHeaderMagic, MgmtErr::Unknown},
        {"larger than the slot", uploadRequest(tooBig), ImgMgmtErr::InvalidImageTooLarge, MgmtErr::Unknown},
        {"no len", uploadRequest(noLen), ImgMgmtErr::InvalidLength, MgmtErr::Inval},
        {"shorter than a header", uploadRequest(shortHeader), ImgMgmtErr::InvalidImageHeader, MgmtErr::Inval},
        {"upgrade with an older version", uploadRequest(older), ImgMgmtErr::CurrentVersionIsNewer, MgmtErr::BadState},
        {"upgrade with the same version", uploadRequest(same), ImgMgmtErr::CurrentVersionIsNewer, MgmtErr::BadState},
        {"no off", noOff, ImgMgmtErr::InvalidOffset, MgmtErr::Inval},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        auto e2 = errorOf(b.call(c.request));
        ASSERT_TRUE(e2);
        EXPECT_EQ(e2->group, 1);
        EXPECT_EQ(e2->rc, int(c.v2));
        EXPECT_EQ(rcOf(b.call(c.request, ProtocolVersion::V1)), int(c.v1));
    }
    UploadChunk newer = first(b.v2);
    newer.upgrade = true;
    EXPECT_FALSE(errorOf(b.call(uploadRequest(newer))));

    // More data than "len" announced.
    Bench o;
    UploadChunk small = o.chunk(o.v2, 0);
    small.totalLength = 300;
    o.call(uploadRequest(small));
    auto overrun = errorOf(o.call(uploadRequest(o.chunk(o.v2, 240))));
    ASSERT_TRUE(overrun);
    EXPECT_EQ(overrun->rc, int(ImgMgmtErr::InvalidImageDataOverrun));
    EXPECT_FALSE(o.server.images().uploadInProgress());
}

TEST(SmpServerUpload, NoFreeSlotWhileATestIsPendingOrRunning)
{
    Bench b;
    b.upload(b.v2);
    b.call(imageTestRequest(tlvHash(b.v2)));
    const QByteArray v3 = makeImage("3.0.0");
    auto e = errorOf(b.call(uploadRequest(b.chunk(v3, 0))));
    ASSERT_TRUE(e);
    EXPECT_EQ(e->rc, int(ImgMgmtErr::NoFreeSlot));
    EXPECT_EQ(rcOf(b.call(uploadRequest(b.chunk(v3, 0)), ProtocolVersion::V1)), int(MgmtErr::BadState));
    b.server.reboot();   // on trial: the secondary holds the image a revert needs
    EXPECT_EQ(rcOf(b.call(uploadRequest(b.chunk(v3, 0)))), int(ImgMgmtErr::NoFreeSlot));
    b.call(imageConfirmRequest());
    EXPECT_FALSE(errorOf(b.call(uploadRequest(b.chunk(v3, 0)))));
}

TEST(SmpServerUpload, TooLargeForTheBootloaderWhenConfigured)
{
    ServerConfig c;
    c.image.maxImageSize = 4096;
    Bench b(BootStrategy::SwapMove, c);
    EXPECT_EQ(rcOf(b.call(uploadRequest(b.chunk(b.v2, 0)))), int(ImgMgmtErr::InvalidImageTooLarge));
    const Packet info = b.call(slotInfoRequest());
    EXPECT_EQ(info.payload.value(QStringLiteral("images")).toArray().at(0).toMap().value(QStringLiteral("max_image_size")).toInteger(),
              4096);
}

// --- erase, slot info ---------------------------------------------------------------------

TEST(SmpServerImage, EraseAndSlotInfo)
{
    Bench b;
    b.upload(b.v2);
    Packet p = b.call(imageEraseRequest());
    EXPECT_FALSE(errorOf(p));
    EXPECT_EQ(b.last.responses.first().mid(8).toHex(), QByteArray("bfff"));
    EXPECT_TRUE(b.board.flash().isErased(kSecondarySlot, 0, 16 * 1024));
    EXPECT_EQ(b.state().images.size(), 1);

    EXPECT_EQ(rcOf(b.call(imageEraseRequest(0))), int(ImgMgmtErr::NoFreeSlot));   // running
    EXPECT_EQ(rcOf(b.call(imageEraseRequest(5))), int(ImgMgmtErr::InvalidSlot));
    b.upload(b.v2);
    b.call(imageTestRequest(tlvHash(b.v2)));
    EXPECT_EQ(rcOf(b.call(imageEraseRequest(1))), int(ImgMgmtErr::NoFreeSlot));   // pending

    p = b.call(slotInfoRequest());
    EXPECT_EQ(b.last.responses.first().mid(8).toHex(),
              QByteArray("bf66696d616765739fbf65696d6167650065736c6f74739fbf64736c6f7400647369") + "7a65194000ff"
                  + "bf64736c6f7401647369" + "7a65194000ffffffffff");
    auto slots = parseSlotInfoResponse(p.payload);
    ASSERT_TRUE(slots);
    ASSERT_EQ(slots->size(), 2);
    EXPECT_EQ(slots->at(1).slot, 1);
    EXPECT_EQ(slots->at(1).size, 16u * 1024);
}

// --- fault hooks ----------------------------------------------------------------------------

TEST(SmpServerFaults, DropCorruptRestartAndReset)
{
    Bench b;
    b.server.dropResponses(1);
    EXPECT_TRUE(b.server.handle(b.packet(echoRequest(QStringLiteral("x")))).responses.isEmpty());
    EXPECT_EQ(b.server.stats().droppedResponses, 1);

    b.server.corruptResponses(1);
    const ServerOutput corrupt = b.server.handle(b.packet(echoRequest(QStringLiteral("hello"))));
    ASSERT_EQ(corrupt.responses.size(), 1);
    auto decoded = decodePacket(corrupt.responses.first());
    EXPECT_TRUE(!decoded || parseEchoResponse(decoded->payload).value_or(QString()) != QStringLiteral("hello"));

    b.server.restartUploadAt(480);
    b.call(uploadRequest(b.chunk(b.v2, 0)));
    b.call(uploadRequest(b.chunk(b.v2, 240)));
    Packet p = b.call(uploadRequest(b.chunk(b.v2, 480)));
    EXPECT_EQ(parseUploadResponse(p.payload)->nextOffset, 0u);   // the client must restart
    EXPECT_TRUE(b.upload(b.v2).match.value_or(false));

    b.server.resetDuringUploadAt(720);
    b.call(imageEraseRequest());
    b.call(uploadRequest(b.chunk(b.v2, 0)));
    b.call(uploadRequest(b.chunk(b.v2, 240)));
    b.call(uploadRequest(b.chunk(b.v2, 480)));
    const ServerOutput reset = b.server.handle(b.packet(uploadRequest(b.chunk(b.v2, 720))));
    EXPECT_TRUE(reset.responses.isEmpty());
    EXPECT_TRUE(reset.resetRequested);
    EXPECT_FALSE(b.board.isRunning());
    EXPECT_TRUE(b.server.handle(b.packet(echoRequest(QStringLiteral("x")))).responses.isEmpty());
    b.server.reboot();
    EXPECT_EQ(*parseEchoResponse(b.call(echoRequest(QStringLiteral("back"))).payload), QStringLiteral("back"));
}

// --- direct-xip -------------------------------------------------------------------------------

TEST(SmpServerImage, DirectXipUploadsToTheOtherSlotAndHasNoStateWrite)
{
    Bench b(BootStrategy::DirectXip);
    b.upload(b.v2);
    ImageStateResponse s = b.state();
    ASSERT_EQ(s.images.size(), 2);
    EXPECT_TRUE(s.images[1].pending);
    EXPECT_TRUE(s.images[1].permanent);
    EXPECT_EQ(rcOf(b.call(imageTestRequest(tlvHash(b.v2)))), int(MgmtErr::NotSup));
    EXPECT_EQ(b.server.reboot().slot, kSecondarySlot);
    s = b.state();
    EXPECT_TRUE(s.images[1].active);
    EXPECT_TRUE(s.images[1].confirmed);
    EXPECT_FALSE(s.images[0].pending);
}

// --- the project's client against the simulated board ------------------------------------------

struct ClientRun {
    bool finished = false;
    std::optional<Error> failure;
    UpgradeOperation::Report report;
};

ClientRun upgradeWith(Bench& b, const QByteArray& file, UpgradeMode mode)
{
    UpgradeOptions options;
    options.mode = mode;
    UpgradeOperation op(file, options);
    test::smp::Loopback* loopPtr = nullptr;
    test::smp::Loopback loop(op, [&](std::int64_t now, const QByteArray& request) {
        const ServerOutput out = b.server.handle(request);
        if (out.resetRequested)
            loopPtr->at(now + out.resetDelayMs + 500, [&b] { b.server.reboot(); });
        return out.responses;
    });
    loopPtr = &loop;
    ClientRun run;
    run.finished = loop.run(10 * 60 * 1000);
    run.failure = op.failure();
    run.report = op.report();
    return run;
}

TEST(SmpServerClient, UpgradeOperationTestsAndConfirms)
{
    Bench b;
    const ClientRun run = upgradeWith(b, b.v2, UpgradeMode::TestAndConfirm);
    ASSERT_TRUE(run.finished);
    EXPECT_FALSE(run.failure) << run.failure->toString().toStdString();
    EXPECT_TRUE(run.report.uploaded);
    EXPECT_TRUE(run.report.confirmed);
    EXPECT_EQ(run.report.runningVersion, QStringLiteral("2.0.0"));
    b.server.reboot();
    EXPECT_EQ(b.state().images[0].version, QStringLiteral("2.0.0"));
    EXPECT_TRUE(b.state().images[0].confirmed);
}

TEST(SmpServerClient, AnUntrustedImageIsRolledBack)
{
    Bench b;
    const ClientRun run = upgradeWith(b, makeImage("2.0.0", 3000, false), UpgradeMode::TestAndConfirm);
    ASSERT_TRUE(run.finished);
    EXPECT_TRUE(run.failure);
    EXPECT_TRUE(run.report.rolledBack);
    EXPECT_EQ(b.state().images[0].version, QStringLiteral("1.0.0"));
}

} // namespace
} // namespace otalab::core::smp
