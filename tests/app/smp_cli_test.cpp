// SPDX-License-Identifier: Apache-2.0
// otalab-cli smp / target serve driven in-process up to the point where they would open a
// connection: help, subcommand routing, option and argument errors (exit 2), file errors
// (exit 3); plus what they print (image table, JSON, progress line, request log lines).
#include "../core/smp_fake_board.h"
#include "cli_test_support.h"

#include "app/cli/smp_output.h"
#include "app/cli/target_request_log.h"
#include "core/smp/smp_error.h"
#include "core/smp/smp_groups.h"
#include "core/smp/smp_packet.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab {
namespace {

using testing::runCli;

QStringList words(const QString& line)
{
    return line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

std::string text(const QString& s)
{
    return s.toStdString();
}

TEST(SmpCli, OverviewListsSmpAndTargetServe)
{
    const auto r = runCli({QStringLiteral("--help")});
    EXPECT_EQ(r.code, 0);
    EXPECT_TRUE(r.out.contains(QStringLiteral("\n  smp "))) << text(r.out);
    EXPECT_TRUE(r.out.contains(QStringLiteral("target serve"))) << text(r.out);
    EXPECT_TRUE(r.out.contains(QStringLiteral("4 the board could not be reached"))) << text(r.out);
    const auto group = runCli({QStringLiteral("target")});
    EXPECT_EQ(group.code, 2);
    EXPECT_TRUE(group.out.contains(QStringLiteral("target serve"))) << text(group.out);
}

TEST(SmpCli, HelpListsSubcommandsAndConnectionOptions)
{
    const auto r = runCli(words(QStringLiteral("smp --help")));
    EXPECT_EQ(r.code, 0);
    for (const char* expected : {"--conn <SPEC>", "--timeout-ms <N>", "--retries <N>", "--window <N>", "--mtu <N>",
                                 "--v1", "image list", "image upload", "image test", "image confirm", "image erase",
                                 "image slots", "reset", "echo", "params", "info", "upgrade", "ports", "Exit codes"})
        EXPECT_TRUE(r.out.contains(QLatin1String(expected))) << expected << "\n" << text(r.out);
    EXPECT_TRUE(r.out.startsWith(QStringLiteral("Usage: otalab-cli smp "))) << text(r.out);
}

TEST(SmpCli, EverySubcommandHasHelpWithTheConnectionOptions)
{
    const QStringList subcommands{QStringLiteral("image list"),   QStringLiteral("image upload"),
                                  QStringLiteral("image test"),   QStringLiteral("image confirm"),
                                  QStringLiteral("image erase"),  QStringLiteral("image slots"),
                                  QStringLiteral("reset"),        QStringLiteral("echo"),
                                  QStringLiteral("params"),       QStringLiteral("info"),
                                  QStringLiteral("upgrade"),      QStringLiteral("ports")};
    for (const QString& sub : subcommands) {
        const auto r = runCli(words(QStringLiteral("smp ") + sub + QStringLiteral(" --help")));
        EXPECT_EQ(r.code, 0) << text(sub);
        EXPECT_TRUE(r.out.startsWith(QStringLiteral("Usage: otalab-cli smp ") + sub)) << text(r.out);
        EXPECT_TRUE(r.out.contains(QStringLiteral("--conn <SPEC>"))) << text(sub);
    }
    const auto upload = runCli(words(QStringLiteral("smp image upload --help")));
    EXPECT_TRUE(upload.out.contains(QStringLiteral("--no-resume")));
    EXPECT_TRUE(upload.out.contains(QStringLiteral("--upgrade")));
    EXPECT_TRUE(runCli(words(QStringLiteral("smp image list --help"))).out.contains(QStringLiteral("--json")));
    EXPECT_TRUE(runCli(words(QStringLiteral("smp upgrade --help"))).out.contains(QStringLiteral("--patience-s")));
    EXPECT_TRUE(runCli(words(QStringLiteral("smp reset --help"))).out.contains(QStringLiteral("--wait")));
}

TEST(SmpCli, MissingOrUnknownSubcommandIsAUsageError)
{
    auto r = runCli(words(QStringLiteral("smp")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("which subcommand"))) << text(r.err);
    EXPECT_TRUE(r.err.contains(QStringLiteral("image upload"))) << text(r.err);

    r = runCli(words(QStringLiteral("smp --conn udp:127.0.0.1 image")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("which image subcommand"))) << text(r.err);
    EXPECT_TRUE(r.err.contains(QStringLiteral("image list")));
    EXPECT_FALSE(r.err.contains(QStringLiteral("upgrade"))) << "only the image group is listed";

    r = runCli(words(QStringLiteral("smp --conn udp:127.0.0.1 flash everything")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("unknown subcommand 'flash everything'"))) << text(r.err);
}

TEST(SmpCli, ConnectionIsRequiredAndChecked)
{
    auto r = runCli(words(QStringLiteral("smp image list")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--conn is required"))) << text(r.err);

    r = runCli(words(QStringLiteral("smp --conn ttyACM0 image list")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--conn:"))) << text(r.err);
    EXPECT_TRUE(r.err.contains(QStringLiteral("no scheme"))) << text(r.err);

    r = runCli(words(QStringLiteral("smp --conn carrier-pigeon:coop image list")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--conn:"))) << text(r.err);
}

TEST(SmpCli, NumericOptionsAreValidatedBeforeOrAfterTheSubcommand)
{
    auto r = runCli(words(QStringLiteral("smp --conn udp:127.0.0.1 --timeout-ms soon image list")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--timeout-ms: 'soon' is not a number"))) << text(r.err);

    r = runCli(words(QStringLiteral("smp --conn udp:127.0.0.1 image list --window 0")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--window: 0 is below the minimum 1"))) << text(r.err);

    r = runCli(words(QStringLiteral("smp image list --conn udp:127.0.0.1 --mtu 70000")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("--mtu"))) << text(r.err);

    r = runCli(words(QStringLiteral("smp --conn udp:127.0.0.1 image list --colour")));
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("colour"))) << text(r.err);
}

TEST(SmpCli, ArgumentErrors)
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing.bin"));
    struct Case {
        QString line;
        int code;
        QString message;
    };
    const Case cases[] = {
        {QStringLiteral("smp --conn udp:127.0.0.1 image upload"), 2, QStringLiteral("expected one FILE")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image upload ") + missing, 3, QStringLiteral("cannot read")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image upload a.bin --image 99"), 2, QStringLiteral("--image")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image test"), 2, QStringLiteral("expected one HASH or FILE")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image test xyz"), 2, QStringLiteral("neither an image file nor a hash")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image test abc"), 2, QStringLiteral("at least 4 hex digits")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image confirm a b"), 2, QStringLiteral("at most one")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image erase --slot x"), 2, QStringLiteral("--slot")},
        {QStringLiteral("smp --conn udp:127.0.0.1 image list extra"), 2, QStringLiteral("no arguments")},
        {QStringLiteral("smp --conn udp:127.0.0.1 echo"), 2, QStringLiteral("TEXT")},
        {QStringLiteral("smp --conn udp:127.0.0.1 info a b"), 2, QStringLiteral("at most one FORMAT")},
        {QStringLiteral("smp ports serial"), 2, QStringLiteral("ports takes no arguments")},
        {QStringLiteral("smp --conn udp:127.0.0.1 reset --patience-s never"), 2, QStringLiteral("--patience-s")},
        {QStringLiteral("smp --conn udp:127.0.0.1 upgrade a.bin"), 2, QStringLiteral("--mode is required")},
        {QStringLiteral("smp --conn udp:127.0.0.1 upgrade a.bin --mode yolo"), 2, QStringLiteral("not one of test")},
        {QStringLiteral("smp --conn udp:127.0.0.1 upgrade ") + missing + QStringLiteral(" --mode test"), 3,
         QStringLiteral("cannot read")},
    };
    for (const Case& c : cases) {
        const auto r = runCli(words(c.line));
        EXPECT_EQ(r.code, c.code) << text(c.line) << "\n" << text(r.err);
        EXPECT_TRUE(r.err.contains(c.message)) << text(c.line) << "\n" << text(r.err);
        EXPECT_TRUE(r.out.isEmpty()) << text(c.line);
    }
}

TEST(SmpCli, ImageTestOfAFileThatIsNotAnImage)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("notes.txt"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write("not an image");
    f.close();
    const auto r = runCli({QStringLiteral("smp"), QStringLiteral("--conn"), QStringLiteral("udp:127.0.0.1"),
                           QStringLiteral("image"), QStringLiteral("test"), path});
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(r.err.contains(QStringLiteral("is not an MCUboot image"))) << text(r.err);
}

TEST(TargetServeCli, HelpAndUsageErrors)
{
    const auto help = runCli(words(QStringLiteral("target serve --help")));
    EXPECT_EQ(help.code, 0);
    for (const char* expected : {"--serial <PORT>", "--udp <PORT>", "--bind <ADDR>", "--image <FILE>", "--slot-size",
                                 "--swap <MODE>", "--key <PEM>", "--buf-size", "--buf-count", "--state-dir"})
        EXPECT_TRUE(help.out.contains(QLatin1String(expected))) << expected;

    QTemporaryDir dir;
    const QString notImage = dir.filePath(QStringLiteral("x.bin"));
    QFile f(notImage);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(100, 'x'));
    f.close();
    struct Case {
        QString line;
        int code;
        QString message;
    };
    const QString pub = QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/test-keys/ecdsa-p256.pub.pem");
    const Case cases[] = {
        {QStringLiteral("target serve"), 2, QStringLiteral("either --serial PORT or --udp PORT")},
        {QStringLiteral("target serve --serial /tmp/x --udp 1337"), 2, QStringLiteral("either --serial")},
        {QStringLiteral("target serve --serial /tmp/x --bind 127.0.0.1"), 2, QStringLiteral("--bind goes with --udp")},
        {QStringLiteral("target serve --udp 70000"), 2, QStringLiteral("--udp")},
        {QStringLiteral("target serve --udp 0 --swap sideways"), 2, QStringLiteral("--swap: 'sideways'")},
        {QStringLiteral("target serve --udp 0 --slot-size 0x4100"), 2, QStringLiteral("--slot-size")},
        {QStringLiteral("target serve --udp 0 --buf-count 0"), 2, QStringLiteral("--buf-count")},
        {QStringLiteral("target serve --udp 0 --image ") + dir.filePath(QStringLiteral("none.bin")), 3,
         QStringLiteral("cannot read")},
        {QStringLiteral("target serve --udp 0 --image ") + notImage, 1, QStringLiteral("is not an MCUboot image")},
        {QStringLiteral("target serve --udp 0 --key ") + pub, 2, QStringLiteral("public key")},
        {QStringLiteral("target serve --udp 0 --key ") + notImage, 3, QStringLiteral("--key")},
        {QStringLiteral("target serve --udp 0 stray"), 2, QStringLiteral("unexpected argument 'stray'")},
    };
    for (const Case& c : cases) {
        const auto r = runCli(words(c.line));
        EXPECT_EQ(r.code, c.code) << text(c.line) << "\n" << text(r.err);
        EXPECT_TRUE(r.err.contains(c.message)) << text(c.line) << "\n" << text(r.err);
    }
}

core::smp::ImageStateResponse twoSlots()
{
    core::smp::ImageStateResponse state;
    core::smp::ImageSlotState a;
    a.slot = 0;
    a.version = QStringLiteral("1.0.0");
    a.hash = QByteArray::fromHex("3f2a9c1e") + QByteArray(28, '\x11');
    a.bootable = a.confirmed = a.active = true;
    core::smp::ImageSlotState b;
    b.slot = 1;
    b.version = QStringLiteral("1.1.0");
    b.hash = QByteArray::fromHex("9b1c44d0") + QByteArray(28, '\x22');
    b.bootable = b.pending = true;
    state.images = {a, b};
    return state;
}

TEST(SmpOutput, ImageTableHasOneRowPerSlotWithShortHashAndFlags)
{
    const QString table = cli::imageStateTable(twoSlots());
    const QStringList lines = table.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 3) << text(table);
    EXPECT_EQ(lines[0].simplified(), QStringLiteral("image slot version hash flags"));
    EXPECT_EQ(lines[1].simplified(), QStringLiteral("0 0 1.0.0 3f2a9c1e bootable confirmed active"));
    EXPECT_EQ(lines[2].simplified(), QStringLiteral("0 1 1.1.0 9b1c44d0 bootable pending"));
    EXPECT_EQ(lines[1].indexOf(QStringLiteral("3f2a")), lines[0].indexOf(QStringLiteral("hash"))) << "aligned columns";
    EXPECT_EQ(cli::imageStateTable({}), QStringLiteral("the board lists no images\n"));
}

TEST(SmpOutput, ImageJsonCarriesTheFullHashAndEveryFlag)
{
    const QJsonObject root = QJsonDocument::fromJson(cli::imageStateJson(twoSlots()).toUtf8()).object();
    const QJsonArray images = root.value(QStringLiteral("images")).toArray();
    ASSERT_EQ(images.size(), 2);
    const QJsonObject b = images[1].toObject();
    EXPECT_EQ(b.value(QStringLiteral("slot")).toInt(), 1);
    EXPECT_EQ(b.value(QStringLiteral("version")).toString(), QStringLiteral("1.1.0"));
    EXPECT_EQ(b.value(QStringLiteral("hash")).toString().size(), 64);
    EXPECT_TRUE(b.value(QStringLiteral("hash")).toString().startsWith(QStringLiteral("9b1c44d0")));
    EXPECT_TRUE(b.value(QStringLiteral("pending")).toBool());
    EXPECT_FALSE(b.value(QStringLiteral("active")).toBool());
    EXPECT_FALSE(b.value(QStringLiteral("permanent")).toBool());
    EXPECT_TRUE(images[0].toObject().value(QStringLiteral("active")).toBool());
}

TEST(SmpOutput, ProgressLineShowsPercentSizeRateAndEta)
{
    core::smp::Progress p;
    p.phase = QStringLiteral("upload");
    p.done = 20 * 1024;
    p.total = 40 * 1024;
    p.bytesPerSecond = 10 * 1024;
    p.etaSeconds = 2.0;
    EXPECT_EQ(cli::progressText(p), QStringLiteral("upload   50 %  20.0 KiB of 40.0 KiB  10.0 KiB/s  ETA 2.00 s"));

    QString err;
    QTextStream stream(&err);
    cli::ProgressPrinter printer(stream, false);
    for (qint64 done = 0; done <= p.total; done += 1024) {
        p.done = done;
        printer.show(p);
    }
    stream.flush();
    // The first answer (2 %), then 10 %, 20 %, … 100 %.
    EXPECT_EQ(err.count(QLatin1Char('\n')), 11) << text(err);
    EXPECT_TRUE(err.startsWith(QStringLiteral("upload    2 %"))) << text(err);
    EXPECT_TRUE(err.contains(QStringLiteral("upload  100 %"))) << text(err);
    EXPECT_FALSE(err.contains(QLatin1Char('\r')));
}

TEST(SmpOutput, Formats)
{
    EXPECT_EQ(cli::formatBytes(512), QStringLiteral("512 B"));
    EXPECT_EQ(cli::formatBytes(40960), QStringLiteral("40.0 KiB"));
    EXPECT_EQ(cli::formatBytes(3 * 1024 * 1024 / 2), QStringLiteral("1.50 MiB"));
    EXPECT_EQ(cli::formatRate(33.1 * 1024), QStringLiteral("33.1 KiB/s"));
    EXPECT_EQ(cli::formatSeconds(0.844), QStringLiteral("0.84 s"));
    EXPECT_EQ(cli::formatSeconds(125), QStringLiteral("2 min 05 s"));
    EXPECT_EQ(cli::shortHash(QByteArray::fromHex("0102030405")), QStringLiteral("01020304"));
}

TEST(TargetRequestLog, OneLinePerRequest)
{
    using namespace core::smp;
    auto packet = [](const Request& r, ProtocolVersion v = ProtocolVersion::V2) {
        Header h;
        h.version = v;
        h.op = r.op;
        h.group = r.group;
        h.command = r.command;
        return encodePacket(h, r.payload);
    };
    UploadChunk later;
    later.offset = 4096;
    later.data = QByteArray(1393, 'x');
    EXPECT_EQ(cli::describeSmpRequest(packet(uploadRequest(later))), QStringLiteral("image upload off=4096 len=1393"));
    UploadChunk first;
    first.data = QByteArray(100, 'x');
    first.totalLength = 40960;
    first.sha = QByteArray::fromHex("9b1c44d0") + QByteArray(28, '\0');
    first.upgrade = true;
    EXPECT_EQ(cli::describeSmpRequest(packet(uploadRequest(first))),
              QStringLiteral("image upload off=0 len=100 total=40960 sha=9b1c44d0 upgrade"));
    EXPECT_EQ(cli::describeSmpRequest(packet(echoRequest(QStringLiteral("hi")))), QStringLiteral("os echo \"hi\""));
    EXPECT_EQ(cli::describeSmpRequest(packet(imageTestRequest(first.sha))), QStringLiteral("image test hash=9b1c44d0"));
    EXPECT_EQ(cli::describeSmpRequest(packet(imageConfirmRequest())), QStringLiteral("image confirm"));
    EXPECT_EQ(cli::describeSmpRequest(packet(imageStateReadRequest(), ProtocolVersion::V1)),
              QStringLiteral("image state read [v1]"));
    EXPECT_EQ(cli::describeSmpRequest(packet(imageEraseRequest(1))), QStringLiteral("image erase slot=1"));
    EXPECT_EQ(cli::describeSmpRequest(packet(resetRequest())), QStringLiteral("os reset"));
    EXPECT_EQ(cli::describeSmpRequest(QByteArray::fromHex("0200")), QStringLiteral("garbled request (2 bytes)"));

    Header h;
    h.op = Op::WriteResponse;
    h.group = std::uint16_t(Group::Image);
    h.command = image::Upload;
    UploadResponse answer;
    answer.nextOffset = 5489;
    EXPECT_EQ(cli::describeSmpAnswer({encodePacket(h, uploadResponsePayload(answer))}), QStringLiteral("off=5489"));
    EXPECT_TRUE(cli::describeSmpAnswer({encodePacket(h, errorPayloadV2(1, 6))}).startsWith(QStringLiteral("IMG_MGMT_ERR")));
    EXPECT_EQ(cli::describeSmpAnswer({}), QStringLiteral("no answer"));
}

TEST(SmpCli, UpgradeRefusesANonMcubootFileBeforeConnecting)
{
    QTemporaryDir dir;
    const QString junk = dir.filePath(QStringLiteral("junk.bin"));
    QFile f(junk);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, '\x5a'));
    f.close();
    // A port that does not exist: reaching the connection would give exit 4.
    const auto r = runCli({QStringLiteral("smp"), QStringLiteral("--conn"), QStringLiteral("serial:/dev/otalab-no-such-port"),
                           QStringLiteral("upgrade"), junk, QStringLiteral("--mode"), QStringLiteral("test")});
    EXPECT_EQ(r.code, 1) << text(r.err);
    EXPECT_TRUE(r.err.contains(QStringLiteral("not an MCUboot image"))) << text(r.err);
    EXPECT_TRUE(r.err.contains(QStringLiteral("nothing was sent to the board"))) << text(r.err);
}

// An image `image inspect` calls INVALID is not sent: upload and upgrade stop before
// connecting (exit 1) with the inspector's finding; --force goes on to the connection.
TEST(SmpCli, UploadAndUpgradeRefuseAnImageInspectCallsInvalid)
{
    QTemporaryDir dir;
    auto write = [&](const QString& name, const QByteArray& bytes) {
        const QString path = dir.filePath(name);
        QFile f(path);
        EXPECT_TRUE(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        return path;
    };
    const QByteArray image = test::smp::makeImage(6000, QStringLiteral("1.3.0"), 9);
    ASSERT_FALSE(image.isEmpty());
    QByteArray broken = image;
    broken[0x400] = char(broken[0x400] ^ 0x01);   // a body byte: the SHA256 TLV no longer matches
    const QString good = write(QStringLiteral("good.bin"), image);
    const QString tampered = write(QStringLiteral("tampered.bin"), broken);
    // A port that does not exist: reaching the connection gives another exit code than 1.
    const QStringList conn{QStringLiteral("smp"), QStringLiteral("--conn"), QStringLiteral("serial:/dev/otalab-no-such-port")};
    const QStringList upgradeMode{QStringLiteral("--mode"), QStringLiteral("test")};
    struct Case {
        QStringList command;
        QStringList extra;
    };
    for (const Case& c : {Case{{QStringLiteral("image"), QStringLiteral("upload")}, {}},
                          Case{{QStringLiteral("upgrade")}, upgradeMode}}) {
        const auto refused = runCli(conn + c.command + QStringList{tampered} + c.extra);
        EXPECT_EQ(refused.code, 1) << text(refused.err);
        EXPECT_TRUE(refused.err.startsWith(QStringLiteral("error: %1: image inspect calls it INVALID: unprotectedTlvs.tlv[0].value").arg(tampered)))
            << text(refused.err);
        EXPECT_TRUE(refused.err.contains(QStringLiteral("does not match the computed"))) << text(refused.err);
        EXPECT_TRUE(refused.err.contains(QStringLiteral("nothing was sent to the board"))) << text(refused.err);
        EXPECT_TRUE(refused.err.contains(QStringLiteral("--force sends it anyway"))) << text(refused.err);

        const auto valid = runCli(conn + c.command + QStringList{good} + c.extra);
        EXPECT_NE(valid.code, 1) << text(valid.err);
        const auto forced = runCli(conn + c.command + QStringList{tampered, QStringLiteral("--force")} + c.extra);
        EXPECT_EQ(forced.code, valid.code) << text(forced.err);
        EXPECT_FALSE(forced.err.contains(QStringLiteral("INVALID"))) << text(forced.err);

        const auto help = runCli(QStringList{QStringLiteral("smp")} + c.command + QStringList{QStringLiteral("--help")});
        EXPECT_TRUE(help.out.contains(QStringLiteral("--force"))) << text(help.out);
    }
}

} // namespace
} // namespace otalab
