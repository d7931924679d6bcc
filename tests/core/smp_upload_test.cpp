// SPDX-License-Identifier: Apache-2.0
// SMP image upload client over the loopback: chunking, pipelining, rewind, resume, restart,
// timeouts, corruption, device errors, progress.
#include "core/smp/client_upload.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_packet.h"
#include "smp_fake_board.h"
#include "smp_loopback.h"
#include "smp_sim_board.h"

#include <gtest/gtest.h>

using namespace otalab::core::smp;
using otalab::test::smp::FakeBoard;
using otalab::test::smp::Loopback;

namespace {

QByteArray pattern(int size, std::uint32_t seed = 7)
{
    QByteArray data(size, '\0');
    std::uint32_t x = seed;
    for (int i = 0; i < size; ++i) {
        x = x * 1103515245u + 12345u;
        data[i] = char(x >> 16);
    }
    return data;
}

Loopback::Board boardFn(FakeBoard& board)
{
    return [&board](std::int64_t now, const QByteArray& request) { return board.handle(now, request); };
}

// Upload chunks the client sent, decoded (other packets skipped).
QList<UploadChunk> uploadChunks(const QList<QByteArray>& packets)
{
    QList<UploadChunk> chunks;
    for (const QByteArray& p : packets) {
        auto packet = decodePacket(p);
        if (!packet || packet->header.group != std::uint16_t(Group::Image) || packet->header.command != image::Upload)
            continue;
        auto chunk = parseUploadRequest(packet->payload);
        if (chunk)
            chunks.append(*chunk);
    }
    return chunks;
}

struct UploadRun {
    std::int64_t endMs = 0;
    UploadOperation::Stats stats;
    QList<QByteArray> sent;
};

UploadRun uploadWith(const QByteArray& data, UploadOptions options, double bytesPerSecond, std::int64_t latencyMs)
{
    FakeBoard board;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.bytesPerSecond = bytesPerSecond;
    loop.latencyMs = latencyMs;
    EXPECT_TRUE(loop.run());
    EXPECT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    return UploadRun{loop.now(), op.stats(), loop.sentByClient};
}

} // namespace

TEST(SmpUpload, StopAndWait100KiBIsByteExactWithFullPackets)
{
    const QByteArray data = pattern(100 * 1024);
    FakeBoard board;
    UploadOptions options;
    options.window = 1;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_EQ(op.window(), 1);
    EXPECT_EQ(op.maxPacketBytes(), 2048 - 4);   // board buf_size minus the serial reserve
    EXPECT_EQ(op.acknowledged(), data.size());

    // Params first, then upload chunks; every packet but the last fills the limit exactly.
    ASSERT_GE(loop.sentByClient.size(), 2);
    EXPECT_EQ(decodeHeader(loop.sentByClient[0])->command, os::McumgrParams);
    for (int i = 1; i + 1 < loop.sentByClient.size(); ++i)
        EXPECT_EQ(loop.sentByClient[i].size(), 2044) << "packet " << i;
    EXPECT_LE(loop.sentByClient.last().size(), 2044);

    const QList<UploadChunk> chunks = uploadChunks(loop.sentByClient);
    ASSERT_FALSE(chunks.isEmpty());
    EXPECT_EQ(chunks[0].offset, 0u);
    EXPECT_EQ(chunks[0].totalLength, std::optional<std::uint32_t>(data.size()));
    EXPECT_EQ(chunks[0].sha, QCryptographicHash::hash(data, QCryptographicHash::Sha256));
    qint64 expected = 0;
    for (const UploadChunk& c : chunks) {
        EXPECT_EQ(c.offset, expected);
        expected += c.data.size();
        if (c.offset != 0) {
            EXPECT_FALSE(c.totalLength.has_value());
            EXPECT_TRUE(c.sha.isEmpty());
        }
    }
    EXPECT_EQ(expected, data.size());
    EXPECT_EQ(op.stats().chunksResent, 0);
    EXPECT_EQ(op.stats().timeouts, 0);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("upload complete: 102400 bytes")));
}

TEST(SmpUpload, WindowOfFourIsByteExactAndFasterOnASlowLink)
{
    const QByteArray data = pattern(100 * 1024, 11);
    UploadOptions one;
    one.window = 1;
    UploadOptions four;
    four.window = 4;
    const UploadRun a = uploadWith(data, one, 20000, 40);
    const UploadRun b = uploadWith(data, four, 20000, 40);
    EXPECT_EQ(a.stats.chunksResent, 0);
    EXPECT_EQ(b.stats.chunksResent, 0);
    EXPECT_EQ(b.stats.rewinds, 0);
    // Stop-and-wait pays two latencies per chunk; the window hides them.
    EXPECT_LT(b.endMs, a.endMs);
    const double floorMs = 100 * 1024 * 1000.0 / 20000;   // wire time of the image bytes alone
    EXPECT_LT(b.endMs, floorMs * 1.1) << b.endMs;
    EXPECT_GT(a.endMs, floorMs * 1.5) << a.endMs;
}

TEST(SmpUpload, DefaultWindowComesFromBufCount)
{
    FakeBoard board;
    board.params = {1024, 5};
    UploadOperation op(pattern(20000), UploadOptions{});
    Loopback loop(op, boardFn(board));
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(op.failure().has_value());
    EXPECT_EQ(op.window(), 4);
    EXPECT_EQ(op.maxPacketBytes(), 1020);
}

TEST(SmpUpload, TransportLimitCapsThePacketSize)
{
    FakeBoard board;
    UploadOptions options;
    options.maxPacketBytes = 512;   // e.g. a BLE link without a large MTU
    UploadOperation op(pattern(10000), options);
    Loopback loop(op, boardFn(board));
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(op.failure().has_value());
    EXPECT_EQ(op.maxPacketBytes(), 512);
    for (int i = 1; i + 1 < loop.sentByClient.size(); ++i)
        EXPECT_EQ(loop.sentByClient[i].size(), 512);
}

TEST(SmpUpload, BoardWithoutParamsGetsOneChunkAtATime)
{
    FakeBoard board;
    board.paramsSupported = false;
    UploadOptions options;
    options.maxPacketBytes = 700;
    UploadOperation op(pattern(5000), options);
    Loopback loop(op, boardFn(board));
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(op.failure().has_value());
    EXPECT_EQ(op.window(), 1);
    EXPECT_EQ(op.maxPacketBytes(), 700);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("does not report MCUmgr parameters (MGMT_ERR_ENOTSUP)")));
}

TEST(SmpUpload, FirstChunkCarriesImageNumberAndUpgradeFlag)
{
    FakeBoard board;
    UploadOptions options;
    options.image = 1;
    options.upgrade = true;
    options.knownParams = McumgrParams{512, 2};
    const QByteArray data = pattern(3000);
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    ASSERT_TRUE(loop.run());
    EXPECT_FALSE(op.failure().has_value());
    const QList<UploadChunk> chunks = uploadChunks(loop.sentByClient);
    ASSERT_GE(chunks.size(), 2);
    EXPECT_EQ(chunks[0].image, std::optional<int>(1));
    EXPECT_TRUE(chunks[0].upgrade);
    EXPECT_FALSE(chunks[1].image.has_value());
    EXPECT_FALSE(chunks[1].upgrade);
    EXPECT_EQ(decodeHeader(loop.sentByClient[0])->command, image::Upload);   // no params request
    EXPECT_EQ(board.secondary.data, data);
}

TEST(SmpUpload, ResumesAfterALinkDropAtTheBoardsOffset)
{
    const QByteArray data = pattern(100 * 1024, 3);
    FakeBoard board;
    UploadOptions options;
    options.window = 3;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.bytesPerSecond = 20000;
    qint64 boardOffsetAtDrop = -1;
    loop.at(2000, [&] {
        boardOffsetAtDrop = board.uploadOff;
        loop.linkDown();
    });
    loop.linkUpAt(5000);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    ASSERT_GT(boardOffsetAtDrop, 0);
    EXPECT_EQ(op.stats().resumes, 1);
    EXPECT_EQ(board.resumesAnswered, 1);
    EXPECT_EQ(loop.linkDrops, 1);

    // After the link came back: the first packet is off 0 with len + sha (the resume
    // question), and the next chunk starts at the offset the board held — not at 0.
    const QList<UploadChunk> chunks = uploadChunks(loop.sentByClient);
    int resumeIndex = -1;
    for (int i = 1; i < chunks.size(); ++i)
        if (chunks[i].offset == 0) {
            resumeIndex = i;
            break;
        }
    ASSERT_GT(resumeIndex, 0);
    EXPECT_EQ(chunks[resumeIndex].sha, op.sha());
    EXPECT_EQ(chunks[resumeIndex].totalLength, std::optional<std::uint32_t>(data.size()));
    ASSERT_GT(chunks.size(), resumeIndex + 1);
    EXPECT_GE(qint64(chunks[resumeIndex + 1].offset), boardOffsetAtDrop);
    for (int i = resumeIndex + 1; i < chunks.size(); ++i)
        EXPECT_GT(chunks[i].offset, 0u);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("waiting up to 60 s")));
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("resuming there")));
}

TEST(SmpUpload, BoardAnsweringOffsetZeroMidUploadRestartsWithFirstChunkFields)
{
    const QByteArray data = pattern(60 * 1024, 5);
    FakeBoard board;
    UploadOptions options;
    options.window = 2;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.bytesPerSecond = 20000;
    // The board forgets its upload (as after a reboot): later chunks are answered off 0.
    loop.at(1500, [&] {
        board.uploadOff = 0;
        board.uploadLen = 0;
        board.uploadSha.clear();
        board.secondary = FakeBoard::Slot{};
    });
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_EQ(op.stats().restarts, 1);
    const QList<UploadChunk> chunks = uploadChunks(loop.sentByClient);
    int firstChunks = 0;
    for (const UploadChunk& c : chunks)
        if (c.offset == 0) {
            ++firstChunks;
            EXPECT_EQ(c.sha, op.sha());
            EXPECT_TRUE(c.totalLength.has_value());
        }
    EXPECT_EQ(firstChunks, 2);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("it restarted the upload")));
}

TEST(SmpUpload, BoardThatKeepsRestartingGivesUp)
{
    FakeBoard board;
    UploadOptions options;
    options.knownParams = McumgrParams{512, 2};
    options.maxRestarts = 2;
    UploadOperation op(pattern(20000), options);
    // A board that forgets the upload after every chunk.
    Loopback loop(op, [&board](std::int64_t now, const QByteArray& request) {
        auto answer = board.handle(now, request);
        if (board.uploadOff > 1000) {
            board.uploadOff = 0;
            board.uploadLen = 0;
            board.uploadSha.clear();
        }
        return answer;
    });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    EXPECT_TRUE(op.failure()->message.contains(QStringLiteral("went back to offset 0 3 times")))
        << op.failure()->message.toStdString();
}

TEST(SmpUpload, LostRequestInThePipelineRewindsWithoutTimeout)
{
    const QByteArray data = pattern(50 * 1024, 9);
    FakeBoard board;
    UploadOptions options;
    options.window = 4;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.dropRequest = [](int index, const QByteArray&) { return index == 6 || index == 15; };
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_EQ(op.stats().timeouts, 0);
    EXPECT_EQ(op.stats().rewinds, 2);
    EXPECT_GE(op.stats().chunksResent, 2);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("the board expects offset")));
}

TEST(SmpUpload, LostResponsesTimeOutAndAreRetried)
{
    const QByteArray data = pattern(30 * 1024, 4);
    FakeBoard board;
    UploadOptions options;
    options.window = 1;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.dropResponse = [](int index, const QByteArray&) { return index == 4 || index == 5; };
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_EQ(op.stats().timeouts, 2);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("(retry 2 of 4)")));
}

TEST(SmpUpload, LostFirstChunkAnswerIsRetriedAndResumes)
{
    const QByteArray data = pattern(8000, 2);
    FakeBoard board;
    UploadOptions options;
    options.knownParams = McumgrParams{1024, 3};
    options.firstChunkTimeoutMs = 3000;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.dropResponse = [](int index, const QByteArray&) { return index == 0; };
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_EQ(board.resumesAnswered, 1);   // the repeated first chunk was answered from the sha
    EXPECT_GE(loop.now(), 3000);
}

TEST(SmpUpload, CorruptedPacketsAreSurvived)
{
    const QByteArray data = pattern(40 * 1024, 8);
    FakeBoard board;
    UploadOptions options;
    options.window = 3;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.mangleResponse = [](int index, QByteArray& p) {
        if (index == 7)
            p[8] = char(0xff);   // a CBOR break code where the map starts
        if (index == 20)
            p[p.size() - 2] = char(0xff);   // the offset's value damaged: 0xffxx, beyond the image
    };
    loop.mangleRequest = [](int index, QByteArray& p) {
        if (index == 12)
            p[0] = char(0xe0);   // reserved header bits: the board drops it
    };
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("ignored a garbled packet")));
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("ignored a damaged upload answer (offset 65")));
}

TEST(SmpUpload, ReorderedAndDuplicatedAnswersAreHandled)
{
    const QByteArray data = pattern(40 * 1024, 12);
    FakeBoard board;
    UploadOptions options;
    options.window = 4;
    UploadOperation op(data, options);
    Loopback loop(op, [&board](std::int64_t now, const QByteArray& request) {
        QList<QByteArray> answers = board.handle(now, request);
        if (board.uploadRequests % 5 == 0 && !answers.isEmpty())
            answers.append(answers.first());   // a duplicate answer (UDP)
        return answers;
    });
    loop.extraResponseDelayMs = [](int index) -> std::int64_t { return index % 7 == 3 ? 30 : 0; };
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_TRUE(loop.log.join('\n').contains(QStringLiteral("matches no pending request")));
}

TEST(SmpUpload, SmpErrorIsSurfacedAsWords)
{
    FakeBoard board;
    board.refuseUploadRc = 9;   // IMG_MGMT_ERR_NO_FREE_SLOT
    UploadOperation op(pattern(5000), UploadOptions{});
    Loopback loop(op, boardFn(board));
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    const QString message = op.failure()->message;
    EXPECT_TRUE(message.startsWith(QStringLiteral("the board refused the image: the board has no free slot")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("IMG_MGMT_ERR_NO_FREE_SLOT")));
    EXPECT_EQ(board.uploadRequests, 1);
}

TEST(SmpUpload, RetriesExhaustedWhenTheBoardGoesSilent)
{
    const QByteArray data = pattern(40 * 1024, 6);
    FakeBoard board;
    UploadOptions options;
    options.window = 2;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.at(100, [&] { board.offlineUntilMs = std::numeric_limits<std::int64_t>::max(); });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    const QString message = op.failure()->message;
    EXPECT_TRUE(message.startsWith(QStringLiteral("the board stopped answering at %1 of %2 bytes (5 tries")
                                       .arg(op.acknowledged())
                                       .arg(data.size())))
        << message.toStdString();
    // The client cannot know whether the board restarted (Zephyr keeps the upload state
    // in RAM): the message promises a resume only on that condition.
    EXPECT_TRUE(message.contains(QStringLiteral("uploading again resumes from %1 if the board still holds its upload "
                                                "state (it has not restarted since)")
                                     .arg(op.acknowledged())))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("a board that restarted starts again from 0"))) << message.toStdString();
    EXPECT_EQ(op.stats().timeouts, 5);
    EXPECT_LT(loop.now(), 60000);   // adaptive timeouts, not the first-chunk 60 s
}

TEST(SmpUpload, LinkThatNeverReturnsFailsAfterPatience)
{
    FakeBoard board;
    UploadOptions options;
    options.linkPatienceMs = 30000;
    UploadOperation op(pattern(40 * 1024), options);
    Loopback loop(op, boardFn(board));
    loop.bytesPerSecond = 10000;
    loop.linkDownAt(1000);
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    EXPECT_TRUE(op.failure()->message.startsWith(QStringLiteral("the link did not come back within 30 s; the board "
                                                                "acknowledged")))
        << op.failure()->message.toStdString();
    EXPECT_TRUE(op.failure()->message.contains(QStringLiteral("if the board still holds its upload state")))
        << op.failure()->message.toStdString();
    EXPECT_EQ(loop.now(), 31000);
}

TEST(SmpUpload, ProgressIsMonotoneWithRateAndEta)
{
    const QByteArray data = pattern(64 * 1024, 13);
    FakeBoard board;
    UploadOptions options;
    options.window = 3;
    UploadOperation op(data, options);
    Loopback loop(op, boardFn(board));
    loop.bytesPerSecond = 8000;
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value());
    ASSERT_GT(loop.progress.size(), 10);
    qint64 last = -1;
    bool sawEta = false;
    for (const Progress& p : loop.progress) {
        EXPECT_EQ(p.phase, QStringLiteral("upload"));
        EXPECT_EQ(p.total, data.size());
        EXPECT_GE(p.done, last);
        last = p.done;
        if (p.etaSeconds) {
            sawEta = true;
            EXPECT_GT(p.bytesPerSecond, 0);
            EXPECT_GE(*p.etaSeconds, 0);
        }
    }
    EXPECT_EQ(last, data.size());
    EXPECT_TRUE(sawEta);
    const Progress& mid = loop.progress[loop.progress.size() / 2];
    EXPECT_NEAR(mid.bytesPerSecond, 8000 * 0.96, 8000 * 0.1);   // close to the link rate
    ASSERT_TRUE(mid.etaSeconds.has_value());
    EXPECT_NEAR(*mid.etaSeconds, double(data.size() - mid.done) / mid.bytesPerSecond, 1e-6);
}

TEST(SmpUpload, ImageSmallerThanOneChunk)
{
    FakeBoard board;
    const QByteArray data = pattern(300);
    UploadOperation op(data, UploadOptions{});
    Loopback loop(op, boardFn(board));
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(board.secondary.data, data);
    EXPECT_EQ(uploadChunks(loop.sentByClient).size(), 1);
    EXPECT_EQ(loop.progress.last().done, 300);
}

TEST(SmpUpload, EmptyImageAndCancel)
{
    UploadOperation empty(QByteArray{}, UploadOptions{});
    Loopback loop(empty, [](std::int64_t, const QByteArray&) { return QList<QByteArray>{}; });
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(empty.failure().has_value());
    EXPECT_TRUE(loop.sentByClient.isEmpty());

    FakeBoard board;
    UploadOperation op(pattern(50000), UploadOptions{});
    Loopback loop2(op, boardFn(board));
    loop2.bytesPerSecond = 10000;
    loop2.cancelAt(500);
    ASSERT_TRUE(loop2.run());
    ASSERT_TRUE(op.failure().has_value());
    EXPECT_EQ(op.failure()->message, QStringLiteral("aborted"));
    const int sentAtCancel = loop2.sentByClient.size();
    EXPECT_LT(board.uploadOff, 50000);
    EXPECT_EQ(loop2.sentByClient.size(), sentAtCancel);
}

// --- against the simulated Zephyr board (core/smp/smp_server.h) -----------------------------

namespace {

using otalab::test::smp::SimBoard;

} // namespace

TEST(SmpUploadSimBoard, HundredKiBByteExactWithWindowOneAndFour)
{
    const QByteArray image = otalab::test::smp::makeImage(100 * 1024, QStringLiteral("2.0.0"), 21);
    std::int64_t ends[2] = {0, 0};
    int i = 0;
    for (int window : {1, 4}) {
        SimBoard sim;
        ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(20000, QStringLiteral("1.0.0"), 1)));
        UploadOptions options;
        options.window = window;
        UploadOperation op(image, options);
        Loopback loop(op, sim.attach(loop));
        loop.bytesPerSecond = 20000;
        loop.latencyMs = 20;
        ASSERT_TRUE(loop.run());
        ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
        EXPECT_EQ(sim.secondary(image.size()), image) << "window " << window;
        EXPECT_FALSE(sim.server.images().uploadInProgress());
        EXPECT_EQ(op.stats().chunksResent, 0);
        EXPECT_EQ(sim.server.stats().errorResponses, 0);
        ends[i++] = loop.now();
    }
    EXPECT_LT(ends[1], ends[0]);
}

TEST(SmpUploadSimBoard, ResumeAfterALinkDropStartsAtTheBoardsOffset)
{
    const QByteArray image = otalab::test::smp::makeImage(80 * 1024, QStringLiteral("2.0.0"), 22);
    SimBoard sim;
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(20000, QStringLiteral("1.0.0"), 1)));
    UploadOperation op(image, UploadOptions{});
    Loopback loop(op, sim.attach(loop));
    loop.bytesPerSecond = 20000;
    std::uint32_t heldAtDrop = 0;
    loop.at(1800, [&] {
        heldAtDrop = sim.server.images().uploadOffset();
        loop.linkDown();
    });
    loop.linkUpAt(9000);
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(sim.secondary(image.size()), image);
    ASSERT_GT(heldAtDrop, 0u);
    EXPECT_EQ(op.stats().resumes, 1);
    // After the resume question (off 0 + sha), no chunk below what the board held was sent.
    const QList<UploadChunk> chunks = uploadChunks(loop.sentByClient);
    int question = -1;
    for (int k = 1; k < chunks.size(); ++k)
        if (chunks[k].offset == 0)
            question = k;
    ASSERT_GT(question, 0);
    for (int k = question + 1; k < chunks.size(); ++k)
        EXPECT_GE(chunks[k].offset, heldAtDrop);
}

TEST(SmpUploadSimBoard, FaultHooksRestartDropAndCorrupt)
{
    const QByteArray image = otalab::test::smp::makeImage(60 * 1024, QStringLiteral("2.0.0"), 23);
    SimBoard sim;
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(20000, QStringLiteral("1.0.0"), 1)));
    sim.server.restartUploadAt(30000);
    UploadOptions options;
    options.window = 3;
    UploadOperation op(image, options);
    Loopback loop(op, sim.attach(loop));
    loop.bytesPerSecond = 30000;
    loop.at(500, [&] { sim.server.dropResponses(2); });
    loop.at(1200, [&] { sim.server.corruptResponses(2); });
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(sim.secondary(image.size()), image);
    EXPECT_EQ(op.stats().restarts, 1);
    EXPECT_EQ(sim.server.stats().droppedResponses, 2);
    EXPECT_EQ(sim.server.stats().corruptedResponses, 2);
}

TEST(SmpUploadSimBoard, BoardResetMidUploadRestartsCleanly)
{
    // The board resets (RAM upload state lost, link drops) while receiving: the resume
    // question is answered as a fresh upload and the client sends everything again.
    const QByteArray image = otalab::test::smp::makeImage(50 * 1024, QStringLiteral("2.0.0"), 24);
    SimBoard sim;
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(20000, QStringLiteral("1.0.0"), 1)));
    sim.server.resetDuringUploadAt(20000);
    UploadOperation op(image, UploadOptions{});
    Loopback loop(op, sim.attach(loop, SimBoard::ResetLink::Drops, 1500));
    loop.bytesPerSecond = 30000;
    ASSERT_TRUE(loop.run());
    ASSERT_FALSE(op.failure().has_value()) << op.failure()->message.toStdString();
    EXPECT_EQ(sim.resets, 1);
    EXPECT_EQ(op.stats().resumes, 0);
    EXPECT_EQ(sim.secondary(image.size()), image);
}

TEST(SmpUploadSimBoard, DowngradeRefusedWithTheUpgradeFlag)
{
    SimBoard sim;
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(20000, QStringLiteral("3.0.0"), 1)));
    UploadOptions options;
    options.upgrade = true;
    UploadOperation op(otalab::test::smp::makeImage(20000, QStringLiteral("2.0.0"), 2), options);
    Loopback loop(op, sim.attach(loop));
    ASSERT_TRUE(loop.run());
    ASSERT_TRUE(op.failure().has_value());
    EXPECT_TRUE(op.failure()->message.contains(QStringLiteral("IMG_MGMT_ERR_CURRENT_VERSION_IS_NEWER")))
        << op.failure()->message.toStdString();
    EXPECT_TRUE(op.failure()->message.startsWith(QStringLiteral("the board refused the image: ")));
}

// --- the board dies mid-upload: what its flash holds, and what uploading again does ------------

namespace {

// The secondary slot's bytes [0, acknowledged) as the board's flash holds them. Zephyr's
// flash_img (stream_flash) writes in blocks of CONFIG_IMG_BLOCK_BUF_SIZE: the last
// partial block of an upload in progress is still in RAM, not in flash.
struct AckedOnFlash {
    qint64 written = 0;   // acknowledged bytes already in flash (whole blocks)
    bool writtenMatch = false;
    bool tailErased = false;   // [written, acknowledged) still erased
};

AckedOnFlash ackedOnFlash(const SimBoard& sim, const QByteArray& image, qint64 acknowledged)
{
    const int block = sim.server.config().image.writeBlockBytes;
    AckedOnFlash r;
    r.written = acknowledged - acknowledged % block;
    r.writtenMatch = sim.secondary(r.written) == image.left(r.written);
    const QByteArray tail = sim.board.flash().read(otalab::core::mcuboot::kSecondarySlot, r.written,
                                                   acknowledged - r.written);
    r.tailErased = tail == QByteArray(tail.size(), char(0xff));
    return r;
}

// Stops answering at `atMs`, like a killed emulator: nothing it has not answered by then is
// processed.
void dieAt(Loopback& loop, SimBoard& sim, std::int64_t atMs)
{
    loop.at(atMs, [&sim] { sim.running = false; });
}

// Uploads `image` to `sim` at 20 kB/s (one retry) until the board stops answering at
// 1.5 s; what the client had acknowledged and its failure message by then.
struct DiedUpload {
    qint64 acknowledged = 0;
    QString failure;
};
DiedUpload uploadUntilTheBoardDies(SimBoard& sim, const QByteArray& image, const UploadOptions& options)
{
    UploadOperation first(image, options);
    Loopback loop(first, sim.attach(loop));
    loop.bytesPerSecond = 20000;
    dieAt(loop, sim, 1500);
    EXPECT_TRUE(loop.run());
    EXPECT_TRUE(first.failure().has_value());
    return {first.acknowledged(), first.failure() ? first.failure()->message : QString()};
}

} // namespace

TEST(SmpUploadSimBoard, RestartedBoardKeepsWhatItAcknowledgedButUploadsAgainFromZero)
{
    const QByteArray image = otalab::test::smp::makeImage(80 * 1024, QStringLiteral("2.0.0"), 25);
    SimBoard sim;
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(20000, QStringLiteral("1.0.0"), 1)));
    UploadOptions options;
    options.retries = 1;
    const DiedUpload first = uploadUntilTheBoardDies(sim, image, options);
    const qint64 acked = first.acknowledged;
    ASSERT_GT(acked, 10000);
    ASSERT_LT(acked, image.size());
    EXPECT_TRUE(first.failure.contains(QStringLiteral("a board that restarted starts again from 0")))
        << first.failure.toStdString();

    // Everything acknowledged is in flash but the last partial flash_img block (RAM).
    const AckedOnFlash onFlash = ackedOnFlash(sim, image, acked);
    EXPECT_GT(onFlash.written, acked - sim.server.config().image.writeBlockBytes);
    EXPECT_TRUE(onFlash.writtenMatch);
    EXPECT_TRUE(onFlash.tailErased);

    // The emulator starts again on the same flash (state dir): RAM, and with it the upload
    // state, is gone. Like Zephyr, it takes the same sha as a new upload: from 0.
    SimBoard restarted;
    for (int slot = 0; slot < 2; ++slot)
        ASSERT_TRUE(restarted.board.flash().program(slot, sim.board.flash().slotBytes(slot)).has_value());
    ASSERT_TRUE(restarted.server.reboot().booted);
    EXPECT_EQ(restarted.secondary(onFlash.written), image.left(onFlash.written));
    UploadOperation again(image, options);
    Loopback loop2(again, restarted.attach(loop2));
    loop2.bytesPerSecond = 20000;
    ASSERT_TRUE(loop2.run());
    ASSERT_FALSE(again.failure().has_value()) << again.failure()->message.toStdString();
    EXPECT_EQ(again.stats().resumes, 0);
    const QList<UploadChunk> chunks = uploadChunks(loop2.sentByClient);
    ASSERT_GE(chunks.size(), 2);
    EXPECT_EQ(chunks[0].offset, 0u);
    EXPECT_EQ(chunks[1].offset, std::uint32_t(chunks[0].data.size()));   // answered: the first chunk, not `acked`
    EXPECT_EQ(restarted.secondary(image.size()), image);
}

TEST(SmpUploadSimBoard, BoardThatKeptRunningResumesTheRetryAtItsOffset)
{
    // The other half of the promise: the board only went silent (cable, not a restart) and
    // kept its upload state, so the same upload continues where it stopped.
    const QByteArray image = otalab::test::smp::makeImage(80 * 1024, QStringLiteral("2.0.0"), 26);
    SimBoard sim;
    ASSERT_TRUE(sim.install(otalab::test::smp::makeImage(20000, QStringLiteral("1.0.0"), 1)));
    UploadOptions options;
    options.retries = 1;
    const DiedUpload first = uploadUntilTheBoardDies(sim, image, options);
    ASSERT_FALSE(first.failure.isEmpty());
    const std::uint32_t held = sim.server.images().uploadOffset();
    ASSERT_GE(qint64(held), first.acknowledged);

    sim.running = true;
    UploadOperation again(image, options);
    Loopback loop2(again, sim.attach(loop2));
    loop2.bytesPerSecond = 20000;
    ASSERT_TRUE(loop2.run());
    ASSERT_FALSE(again.failure().has_value()) << again.failure()->message.toStdString();
    EXPECT_EQ(again.stats().resumes, 1);
    const QList<UploadChunk> chunks = uploadChunks(loop2.sentByClient);
    ASSERT_GE(chunks.size(), 2);
    EXPECT_EQ(chunks[1].offset, held);
    EXPECT_EQ(sim.secondary(image.size()), image);
}
