// SPDX-License-Identifier: Apache-2.0
// End to end with the real binaries: `otalab-cli target serve` (the emulated MCUboot board)
// on one end of a socat pseudo-terminal pair or on UDP loopback, `otalab-cli smp …` on the
// other: list, upload, resume after a killed client, test, reset, confirm, revert, the
// whole upgrade. Over serial the board's console chatters between SMP frames all the time
// (--log-every-ms), so every serial test also checks that the client ignores log text.
#include "smp_e2e_support.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace otalab {
namespace {

using testing::LiveProcess;
using testing::ProcessRun;
using testing::show;
using testing::PtyPair;

enum class Link { Serial, Udp };

void PrintTo(Link link, std::ostream* os)
{
    *os << (link == Link::Serial ? "serial (socat pty pair)" : "udp loopback");
}

struct Row {
    QString version;
    QString hash;
    QString flags;
    bool found = false;
};

// The `image list` row of image 0, `slot`.
Row rowOf(const QString& table, int slot)
{
    const QRegularExpression re(QStringLiteral("^0\\s+%1\\s+(\\S+)\\s+(\\S+)\\s+(.*)$").arg(slot),
                                QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = re.match(table);
    if (!m.hasMatch())
        return {};
    return {m.captured(1), m.captured(2), m.captured(3).trimmed(), true};
}

// The "sha" the first upload chunk carries: SHA-256 of the whole file (not the TLV hash).
QByteArray fileSha256(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256) : QByteArray();
}

class SmpEndToEnd : public ::testing::TestWithParam<Link> {
protected:
    bool serial() const { return GetParam() == Link::Serial; }

    void SetUp() override
    {
        if (serial() && !testing::socatAvailable())
            GTEST_SKIP() << "socat is not installed (apt-get install socat); pseudo-terminal tests skipped";
        ASSERT_TRUE(m_dir.isValid());
    }

    // Starts the board (with `extra` options) and waits until it runs the demo image 1.0.0.
    void startBoard(const QStringList& extra = {})
    {
        QStringList args{QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--boot-ms"),
                         QStringLiteral("150")};
        if (serial()) {
            m_pty = std::make_unique<PtyPair>();
            ASSERT_TRUE(m_pty->ok()) << "socat did not create the pty pair";
            // The application logs every 25 ms: console lines between the SMP frames.
            args << QStringLiteral("--serial") << m_pty->board() << QStringLiteral("--log-every-ms") << QStringLiteral("25");
            m_conn = QStringLiteral("serial:%1,pace_us=0").arg(m_pty->host());
        } else {
            args << QStringLiteral("--udp") << QStringLiteral("0") << QStringLiteral("--bind") << QStringLiteral("127.0.0.1");
        }
        m_board = std::make_unique<LiveProcess>(args + extra);
        ASSERT_TRUE(m_board->started());
        if (!serial()) {
            const auto port = m_board->waitFor(QStringLiteral("udp port (\\d+)"));
            ASSERT_TRUE(port.hasMatch()) << m_board->output().toStdString();
            m_conn = QStringLiteral("udp:127.0.0.1:%1").arg(port.captured(1));
        }
        ASSERT_TRUE(m_board->waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << m_board->output().toStdString();
    }

    ProcessRun smp(const QStringList& args, int limitMs = 30000)
    {
        return testing::runCliProcess(QStringList{QStringLiteral("smp"), QStringLiteral("--conn"), m_conn} + args, limitMs);
    }

    QString list()
    {
        const ProcessRun r = smp({QStringLiteral("image"), QStringLiteral("list")});
        EXPECT_EQ(r.code, 0) << show(r);
        EXPECT_FALSE(r.out.contains(QStringLiteral("heartbeat"))) << "console text leaked into the output";
        return r.out;
    }

    // reset --wait: the board reboots (MCUboot decides) and answers again.
    void resetAndWait()
    {
        const ProcessRun r = smp({QStringLiteral("reset"), QStringLiteral("--wait"), QStringLiteral("--patience-s"),
                                  QStringLiteral("20")});
        ASSERT_EQ(r.code, 0) << show(r);
        EXPECT_TRUE(r.out.contains(QStringLiteral("the board is restarting"))) << show(r);
        EXPECT_TRUE(r.out.contains(QStringLiteral("the board answers again"))) << show(r);
    }

    QString file(const QString& name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::unique_ptr<PtyPair> m_pty;
    std::unique_ptr<LiveProcess> m_board;
    QString m_conn;
};

TEST_P(SmpEndToEnd, ListsTheBootedImageAsTableAndJson)
{
    ASSERT_NO_FATAL_FAILURE(startBoard());
    const QString table = list();
    EXPECT_TRUE(table.startsWith(QStringLiteral("image"))) << table.toStdString();
    const Row primary = rowOf(table, 0);
    ASSERT_TRUE(primary.found) << table.toStdString();
    EXPECT_EQ(primary.version, QStringLiteral("1.0.0"));
    EXPECT_EQ(primary.hash.size(), 8);
    EXPECT_EQ(primary.flags, QStringLiteral("bootable confirmed active"));
    EXPECT_FALSE(rowOf(table, 1).found) << "the secondary slot is empty";

    const ProcessRun json = smp({QStringLiteral("image"), QStringLiteral("list"), QStringLiteral("--json")});
    ASSERT_EQ(json.code, 0) << show(json);
    const QJsonArray images = QJsonDocument::fromJson(json.out.toUtf8()).object().value(QStringLiteral("images")).toArray();
    ASSERT_EQ(images.size(), 1) << json.out.toStdString();
    const QJsonObject image = images[0].toObject();
    EXPECT_EQ(image.value(QStringLiteral("version")).toString(), QStringLiteral("1.0.0"));
    EXPECT_TRUE(image.value(QStringLiteral("hash")).toString().startsWith(primary.hash));
    EXPECT_EQ(image.value(QStringLiteral("hash")).toString().size(), 64);
    EXPECT_TRUE(image.value(QStringLiteral("active")).toBool());
    EXPECT_TRUE(image.value(QStringLiteral("confirmed")).toBool());

    const ProcessRun echo = smp({QStringLiteral("echo"), QStringLiteral("hello"), QStringLiteral("board")});
    ASSERT_EQ(echo.code, 0) << show(echo);
    EXPECT_EQ(echo.out, QStringLiteral("hello board\n"));
    EXPECT_TRUE(m_board->waitFor(QStringLiteral("os echo \"hello board\" → ok")).hasMatch()) << m_board->output().toStdString();
    EXPECT_TRUE(m_board->output().contains(QStringLiteral("image state read → ok")));

    // The board refuses to erase the slot it runs from: exit 1 with its reason.
    const ProcessRun erase = smp({QStringLiteral("image"), QStringLiteral("erase"), QStringLiteral("--slot"), QStringLiteral("0")});
    EXPECT_EQ(erase.code, 1) << show(erase);
    EXPECT_TRUE(erase.err.startsWith(QStringLiteral("error: the board refused image erase"))) << show(erase);

    const ProcessRun params = smp({QStringLiteral("params")});
    ASSERT_EQ(params.code, 0) << show(params);
    EXPECT_TRUE(params.out.contains(QStringLiteral("buffer size:  2048 bytes"))) << show(params);
    const ProcessRun slots = smp({QStringLiteral("image"), QStringLiteral("slots")});
    ASSERT_EQ(slots.code, 0) << show(slots);
    EXPECT_TRUE(slots.out.contains(QStringLiteral("393216 (384.0 KiB)"))) << show(slots);
}

TEST_P(SmpEndToEnd, UploadTestResetConfirm)
{
    ASSERT_NO_FATAL_FAILURE(startBoard());
    const QString path = file(QStringLiteral("app-1.1.0.bin"));
    const QByteArray hash = testing::writeTestImage(path, QStringLiteral("1.1.0"), 40 * 1024);
    ASSERT_EQ(hash.size(), 32);
    const QString shortHash = QString::fromLatin1(hash.left(4).toHex());

    const ProcessRun upload = smp({QStringLiteral("image"), QStringLiteral("upload"), path});
    ASSERT_EQ(upload.code, 0) << show(upload);
    EXPECT_TRUE(upload.out.startsWith(QStringLiteral("uploaded app-1.1.0.bin: "))) << show(upload);
    EXPECT_TRUE(upload.out.contains(QStringLiteral("image bytes per wire byte"))) << show(upload);
    EXPECT_FALSE(upload.out.contains(QStringLiteral("resumed"))) << show(upload);
    EXPECT_TRUE(upload.err.contains(QStringLiteral("upload  100 %"))) << show(upload);   // one line per 10 %
    EXPECT_TRUE(m_board->waitFor(QStringLiteral("image upload off=0 len=\\d+ total=%1 sha=%2 → off=")
                                     .arg(QFileInfo(path).size())
                                     .arg(QString::fromLatin1(fileSha256(path).left(4).toHex())))
                    .hasMatch())
        << m_board->output().toStdString();
    Row secondary = rowOf(list(), 1);
    ASSERT_TRUE(secondary.found);
    EXPECT_EQ(secondary.version, QStringLiteral("1.1.0"));
    EXPECT_EQ(secondary.hash, shortHash);
    EXPECT_EQ(secondary.flags, QStringLiteral("bootable"));

    // Test by hash prefix, as `image list` shows it.
    const ProcessRun test = smp({QStringLiteral("image"), QStringLiteral("test"), shortHash});
    ASSERT_EQ(test.code, 0) << show(test);
    EXPECT_EQ(rowOf(test.out, 1).flags, QStringLiteral("bootable pending")) << show(test);

    ASSERT_NO_FATAL_FAILURE(resetAndWait());
    EXPECT_TRUE(m_board->waitFor(QStringLiteral("swap type test")).hasMatch()) << m_board->output().toStdString();
    QString table = list();
    EXPECT_EQ(rowOf(table, 0).version, QStringLiteral("1.1.0")) << table.toStdString();
    EXPECT_EQ(rowOf(table, 0).flags, QStringLiteral("bootable active")) << table.toStdString();
    EXPECT_EQ(rowOf(table, 1).version, QStringLiteral("1.0.0")) << table.toStdString();

    const ProcessRun confirm = smp({QStringLiteral("image"), QStringLiteral("confirm")});
    ASSERT_EQ(confirm.code, 0) << show(confirm);
    EXPECT_EQ(rowOf(confirm.out, 0).flags, QStringLiteral("bootable confirmed active")) << show(confirm);

    ASSERT_NO_FATAL_FAILURE(resetAndWait());
    table = list();
    EXPECT_EQ(rowOf(table, 0).version, QStringLiteral("1.1.0")) << table.toStdString();
    EXPECT_EQ(rowOf(table, 0).flags, QStringLiteral("bootable confirmed active")) << table.toStdString();
}

TEST_P(SmpEndToEnd, UnconfirmedImageRevertsAtTheNextReset)
{
    ASSERT_NO_FATAL_FAILURE(startBoard());
    const QString path = file(QStringLiteral("app-1.2.0.bin"));
    ASSERT_EQ(testing::writeTestImage(path, QStringLiteral("1.2.0"), 24 * 1024).size(), 32);
    const ProcessRun upload = smp({QStringLiteral("image"), QStringLiteral("upload"), path});
    ASSERT_EQ(upload.code, 0) << show(upload);
    const ProcessRun test = smp({QStringLiteral("image"), QStringLiteral("test"), path});   // by file
    ASSERT_EQ(test.code, 0) << show(test);
    EXPECT_TRUE(test.out.contains(QStringLiteral("marked app-1.2.0.bin (1.2.0"))) << show(test);

    ASSERT_NO_FATAL_FAILURE(resetAndWait());
    EXPECT_EQ(rowOf(list(), 0).version, QStringLiteral("1.2.0"));
    // No confirm: MCUboot swaps the old image back at the next reset.
    ASSERT_NO_FATAL_FAILURE(resetAndWait());
    EXPECT_TRUE(m_board->waitFor(QStringLiteral("swap type revert")).hasMatch()) << m_board->output().toStdString();
    const QString table = list();
    EXPECT_EQ(rowOf(table, 0).version, QStringLiteral("1.0.0")) << table.toStdString();
    EXPECT_EQ(rowOf(table, 0).flags, QStringLiteral("bootable confirmed active")) << table.toStdString();
}

TEST_P(SmpEndToEnd, KilledUploadResumesWhereTheBoardStopped)
{
    // Flash writes at 48 KiB/s: a 60 KiB upload takes over a second, time to kill it.
    ASSERT_NO_FATAL_FAILURE(startBoard({QStringLiteral("--flash-kib-s"), QStringLiteral("48")}));
    const QString path = file(QStringLiteral("app-2.0.0.bin"));
    ASSERT_EQ(testing::writeTestImage(path, QStringLiteral("2.0.0"), 60 * 1024).size(), 32);
    const qint64 size = QFileInfo(path).size();
    {
        LiveProcess client({QStringLiteral("smp"), QStringLiteral("--conn"), m_conn, QStringLiteral("image"),
                            QStringLiteral("upload"), path});
        ASSERT_TRUE(client.started());
        const auto progress = client.waitFor(QStringLiteral("upload\\s+([3-9]\\d) %"), 20000);
        ASSERT_TRUE(progress.hasMatch()) << client.output().toStdString();
        client.kill();
        EXPECT_FALSE(client.output().contains(QStringLiteral("uploaded "))) << "killed too late";
    }
    const ProcessRun resumed = smp({QStringLiteral("image"), QStringLiteral("upload"), path});
    ASSERT_EQ(resumed.code, 0) << show(resumed);
    const auto at = QRegularExpression(QStringLiteral("resumed at (\\d+) bytes")).match(resumed.out);
    ASSERT_TRUE(at.hasMatch()) << show(resumed);
    const qint64 resumedAt = at.captured(1).toLongLong();
    EXPECT_GE(resumedAt, size * 3 / 10) << show(resumed);
    EXPECT_LT(resumedAt, size);
    EXPECT_TRUE(resumed.out.contains(QStringLiteral("%1 bytes sent this time").arg(size - resumedAt))) << show(resumed);
    const QRegularExpression wire(QStringLiteral("wire: (\\d+) bytes sent"));
    const qint64 resumedWire = wire.match(resumed.out).captured(1).toLongLong();

    // The same image from 0: more bytes on the wire than the resumed run.
    const ProcessRun full = smp({QStringLiteral("image"), QStringLiteral("upload"), path, QStringLiteral("--no-resume")});
    ASSERT_EQ(full.code, 0) << show(full);
    EXPECT_FALSE(full.out.contains(QStringLiteral("resumed"))) << show(full);
    const qint64 fullWire = wire.match(full.out).captured(1).toLongLong();
    EXPECT_GT(fullWire, size) << show(full);
    EXPECT_GT(resumedWire, 0);
    EXPECT_LT(resumedWire, fullWire - resumedAt / 2) << show(resumed) << show(full);
    EXPECT_EQ(rowOf(list(), 1).version, QStringLiteral("2.0.0"));
}

TEST_P(SmpEndToEnd, UpgradeTestAndConfirmInOneCommand)
{
    ASSERT_NO_FATAL_FAILURE(startBoard());
    const QString path = file(QStringLiteral("app-1.3.0.bin"));
    ASSERT_EQ(testing::writeTestImage(path, QStringLiteral("1.3.0"), 32 * 1024).size(), 32);
    const ProcessRun r = smp({QStringLiteral("upgrade"), path, QStringLiteral("--mode"), QStringLiteral("test-and-confirm"),
                              QStringLiteral("--patience-s"), QStringLiteral("20")});
    ASSERT_EQ(r.code, 0) << show(r);
    for (const char* phase : {"] read state", "] upload", "] test", "] reset", "] waiting for the board", "] check",
                              "] confirm"})
        EXPECT_TRUE(r.out.contains(QLatin1String(phase))) << phase << "\n" << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("the board runs 1.3.0, confirmed (was 1.0.0)"))) << show(r);
    const QString table = list();
    EXPECT_EQ(rowOf(table, 0).version, QStringLiteral("1.3.0")) << table.toStdString();
    EXPECT_EQ(rowOf(table, 0).flags, QStringLiteral("bootable confirmed active")) << table.toStdString();
}

INSTANTIATE_TEST_SUITE_P(Links, SmpEndToEnd, ::testing::Values(Link::Serial, Link::Udp),
                         [](const ::testing::TestParamInfo<Link>& info) {
                             return std::string(info.param == Link::Serial ? "Serial" : "Udp");
                         });

// The board's console shares the serial line with SMP. With --log-requests the board logs
// each request on the console before it answers, so the client is sure to read console
// text ahead of the answer: no race with the heartbeat's clock (an echo used to finish
// before the first 20 ms heartbeat on a loaded machine).
TEST(SmpEndToEndErrors, VerboseShowsTheBoardConsoleWhichOtherwiseStaysHidden)
{
    if (!testing::socatAvailable())
        GTEST_SKIP() << "socat is not installed";
    PtyPair pty;
    ASSERT_TRUE(pty.ok());
    LiveProcess board({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--serial"), pty.board(),
                       QStringLiteral("--log-requests"), QStringLiteral("--log-every-ms"), QStringLiteral("20"),
                       QStringLiteral("--boot-ms"), QStringLiteral("50")});
    ASSERT_TRUE(board.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << board.output().toStdString();
    const QString conn = QStringLiteral("serial:%1,pace_us=0").arg(pty.host());
    const ProcessRun quiet = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"), conn,
                                                     QStringLiteral("echo"), QStringLiteral("x")});
    ASSERT_EQ(quiet.code, 0) << show(quiet);
    EXPECT_FALSE(quiet.err.contains(QStringLiteral("board> "))) << show(quiet);
    EXPECT_FALSE(quiet.out.contains(QStringLiteral("mcumgr"))) << show(quiet);
    const ProcessRun verbose = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"), conn,
                                                       QStringLiteral("-v"), QStringLiteral("echo"), QStringLiteral("x")});
    ASSERT_EQ(verbose.code, 0) << show(verbose);
    EXPECT_TRUE(verbose.err.contains(QRegularExpression(QStringLiteral("board> \\[[0-9:.,]+\\] <dbg> mcumgr: "))))
        << show(verbose);
    EXPECT_TRUE(verbose.err.contains(QStringLiteral("→ v2 write os echo"))) << show(verbose);
    EXPECT_EQ(board.stop(), 0) << board.output().toStdString();
    EXPECT_TRUE(board.output().contains(QStringLiteral("stopped after"))) << board.output().toStdString();
}

TEST(SmpEndToEndErrors, CablePulledMidUploadContinuesWhenPluggedBack)
{
    if (!testing::socatAvailable())
        GTEST_SKIP() << "socat is not installed";
    PtyPair pty;
    ASSERT_TRUE(pty.ok());
    LiveProcess board({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--serial"), pty.board(),
                       QStringLiteral("--flash-kib-s"), QStringLiteral("48"), QStringLiteral("--quiet")});
    ASSERT_TRUE(board.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << board.output().toStdString();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("app.bin"));
    ASSERT_EQ(testing::writeTestImage(path, QStringLiteral("1.4.0"), 60 * 1024).size(), 32);
    LiveProcess client({QStringLiteral("smp"), QStringLiteral("--conn"),
                        QStringLiteral("serial:%1,pace_us=0").arg(pty.host()), QStringLiteral("image"),
                        QStringLiteral("upload"), path});
    ASSERT_TRUE(client.waitFor(QStringLiteral("upload\\s+([3-9]\\d) %"), 20000).hasMatch()) << client.output().toStdString();
    pty.stop();   // the cable is pulled: the client waits for the port to come back
    ASSERT_TRUE(client.waitFor(QStringLiteral("lost the link at (\\d+) of")).hasMatch()) << client.output().toStdString();
    ASSERT_TRUE(pty.start());
    const auto done = client.waitFor(QStringLiteral("the upload continued where the board stopped \\(at (\\d+) bytes\\)"),
                                     30000);
    ASSERT_TRUE(done.hasMatch()) << client.output().toStdString() << board.output().toStdString();
    EXPECT_GE(done.captured(1).toLongLong(), QFileInfo(path).size() * 3 / 10);
    EXPECT_TRUE(client.output().contains(QStringLiteral("continuing from there"))) << client.output().toStdString();
    EXPECT_EQ(client.finish(), 0) << client.output().toStdString();
    EXPECT_TRUE(board.waitFor(QStringLiteral("the port is back")).hasMatch()) << board.output().toStdString();
}

TEST(SmpEndToEndErrors, UnsignedImageOnABoardThatChecksSignaturesRollsBack)
{
    const QString key = QStringLiteral(OTALAB_TEST_DATA_DIR "/mcuboot/test-keys/ecdsa-p256.pem");
    LiveProcess board({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--udp"), QStringLiteral("0"),
                       QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--key"), key,
                       QStringLiteral("--boot-ms"), QStringLiteral("100")});
    const auto port = board.waitFor(QStringLiteral("udp port (\\d+)"));
    ASSERT_TRUE(port.hasMatch()) << board.output().toStdString();
    ASSERT_TRUE(board.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << board.output().toStdString();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("unsigned.bin"));
    ASSERT_EQ(testing::writeTestImage(path, QStringLiteral("1.5.0"), 16 * 1024).size(), 32);
    const ProcessRun r = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                 QStringLiteral("udp:127.0.0.1:") + port.captured(1),
                                                 QStringLiteral("upgrade"), path, QStringLiteral("--mode"),
                                                 QStringLiteral("test-and-confirm")});
    EXPECT_EQ(r.code, 1) << show(r);
    EXPECT_TRUE(r.out.contains(QStringLiteral("rolled back: the board runs 1.0.0, not 1.5.0"))) << show(r);
    EXPECT_TRUE(r.err.contains(QStringLiteral("signed with the key the bootloader expects"))) << show(r);
    EXPECT_TRUE(board.waitFor(QStringLiteral("not valid! \\(no signature by a trusted key\\)")).hasMatch())
        << board.output().toStdString();
}

TEST(SmpEndToEndErrors, NoBoardIsExitFourWithPlainWords)
{
    QTemporaryDir dir;
    const ProcessRun serial = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                      QStringLiteral("serial:") + dir.filePath(QStringLiteral("ttyNONE")),
                                                      QStringLiteral("image"), QStringLiteral("list")});
    EXPECT_EQ(serial.code, 4) << show(serial);
    EXPECT_TRUE(serial.err.contains(QStringLiteral("cannot reach the board"))) << show(serial);
    EXPECT_TRUE(serial.err.contains(QStringLiteral("no serial port"))) << show(serial);

    // Nobody listens on this UDP port: every attempt times out.
    const ProcessRun udp = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                   QStringLiteral("udp:127.0.0.1:9"), QStringLiteral("--timeout-ms"),
                                                   QStringLiteral("100"), QStringLiteral("--retries"), QStringLiteral("1"),
                                                   QStringLiteral("echo"), QStringLiteral("x")});
    EXPECT_EQ(udp.code, 4) << show(udp);
    EXPECT_TRUE(udp.err.startsWith(QStringLiteral("error: "))) << show(udp);
}

TEST(SmpEndToEndErrors, TargetServeStateDirKeepsTheFlashAcrossRestarts)
{
    QTemporaryDir dir;
    const QString state = dir.filePath(QStringLiteral("board-state"));
    const QString image = dir.filePath(QStringLiteral("app-3.0.0.bin"));
    ASSERT_EQ(testing::writeTestImage(image, QStringLiteral("3.0.0"), 8 * 1024).size(), 32);
    QString port;
    {
        LiveProcess board({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--udp"), QStringLiteral("0"),
                           QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--state-dir"), state});
        const auto m = board.waitFor(QStringLiteral("udp port (\\d+)"));
        ASSERT_TRUE(m.hasMatch()) << board.output().toStdString();
        ASSERT_TRUE(board.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch());
        const ProcessRun upload = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                          QStringLiteral("udp:127.0.0.1:") + m.captured(1),
                                                          QStringLiteral("image"), QStringLiteral("upload"), image});
        ASSERT_EQ(upload.code, 0) << show(upload);
        EXPECT_EQ(board.stop(), 0);
        EXPECT_TRUE(board.output().contains(QStringLiteral("flash saved in"))) << board.output().toStdString();
    }
    LiveProcess again({QStringLiteral("target"), QStringLiteral("serve"), QStringLiteral("--udp"), QStringLiteral("0"),
                       QStringLiteral("--bind"), QStringLiteral("127.0.0.1"), QStringLiteral("--state-dir"), state});
    const auto m = again.waitFor(QStringLiteral("udp port (\\d+)"));
    ASSERT_TRUE(m.hasMatch()) << again.output().toStdString();
    ASSERT_TRUE(again.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << again.output().toStdString();
    EXPECT_TRUE(again.output().contains(QStringLiteral("restored the flash"))) << again.output().toStdString();
    const ProcessRun list = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                    QStringLiteral("udp:127.0.0.1:") + m.captured(1),
                                                    QStringLiteral("image"), QStringLiteral("list")});
    ASSERT_EQ(list.code, 0) << show(list);
    EXPECT_EQ(rowOf(list.out, 1).version, QStringLiteral("3.0.0")) << show(list);
}

} // namespace
} // namespace otalab
