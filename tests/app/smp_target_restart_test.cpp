// SPDX-License-Identifier: Apache-2.0
// `otalab-cli target serve --state-dir` killed mid-upload and started again: the folder
// holds what the board acknowledged, and — like Zephyr, whose upload state is RAM — the
// restarted board takes the same upload from 0; the client promised no more than that.
#include "smp_e2e_support.h"

#include <QDir>

namespace otalab {
namespace {

using testing::LiveProcess;
using testing::ProcessRun;
using testing::show;

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The highest offset the board's request log shows it answered ("… → off=N").
qint64 highestAnsweredOffset(const QString& log)
{
    qint64 highest = -1;
    const QRegularExpression answer(QStringLiteral("image upload off=\\d+ len=\\d+ → off=(\\d+)"));
    for (auto it = answer.globalMatch(log); it.hasNext();)
        highest = std::max(highest, it.next().captured(1).toLongLong());
    return highest;
}

QStringList serveArgs(const QString& state)
{
    // Slow flash (48 KiB/s): the upload takes seconds, time to kill the board mid-way.
    return {QStringLiteral("target"),    QStringLiteral("serve"),     QStringLiteral("--udp"),
            QStringLiteral("0"),         QStringLiteral("--bind"),    QStringLiteral("127.0.0.1"),
            QStringLiteral("--boot-ms"), QStringLiteral("50"),        QStringLiteral("--flash-kib-s"),
            QStringLiteral("48"),        QStringLiteral("--state-dir"), state};
}

TEST(SmpTargetRestart, KilledBoardKeptWhatItAcknowledgedAndARestartedOneUploadsFromZero)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString state = dir.filePath(QStringLiteral("board-state"));
    const QString path = dir.filePath(QStringLiteral("app-2.0.0.bin"));
    ASSERT_EQ(testing::writeTestImage(path, QStringLiteral("2.0.0"), 160 * 1024).size(), 32);
    const QByteArray image = readAll(path);
    const QString slot1 = QDir(state).filePath(QStringLiteral("slot1.bin"));

    qint64 answered = -1;
    {
        LiveProcess board(serveArgs(state));
        const auto port = board.waitFor(QStringLiteral("udp port (\\d+)"));
        ASSERT_TRUE(port.hasMatch()) << board.output().toStdString();
        ASSERT_TRUE(board.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << board.output().toStdString();
        const QString conn = QStringLiteral("udp:127.0.0.1:%1").arg(port.captured(1));
        LiveProcess client({QStringLiteral("smp"), QStringLiteral("--conn"), conn, QStringLiteral("--retries"),
                            QStringLiteral("1"), QStringLiteral("image"), QStringLiteral("upload"), path});
        ASSERT_TRUE(client.started());
        // Killed (SIGKILL: no saving on the way out) once it answered 20000+ bytes.
        ASSERT_TRUE(board.waitFor(QStringLiteral("→ off=[2-9]\\d{4}"), 30000).hasMatch()) << board.output().toStdString();
        board.kill();
        answered = highestAnsweredOffset(board.output());
        ASSERT_GE(answered, 20000) << board.output().toStdString();
        ASSERT_LT(answered, image.size()) << "the upload ended before the board was killed";

        // The client sees a silent board and promises a resume only if it did not restart.
        EXPECT_EQ(client.finish(), 4) << client.output().toStdString();
        const QString said = client.output();
        const auto at = QRegularExpression(QStringLiteral("the board stopped answering at (\\d+) of")).match(said);
        ASSERT_TRUE(at.hasMatch()) << said.toStdString();
        EXPECT_LE(at.captured(1).toLongLong(), answered);
        EXPECT_TRUE(said.contains(QStringLiteral("if the board still holds its upload state"))) << said.toStdString();
        EXPECT_TRUE(said.contains(QStringLiteral("a board that restarted starts again from 0"))) << said.toStdString();
    }

    // Every acknowledged byte is in the state folder, but the last partial 512-byte block
    // (CONFIG_IMG_BLOCK_BUF_SIZE) that Zephyr's flash_img still holds in RAM.
    const QByteArray saved = readAll(slot1);
    const qint64 written = answered - answered % 512;
    ASSERT_GE(saved.size(), image.size());
    EXPECT_TRUE(saved.left(written) == image.left(written)) << "the state folder lacks acknowledged bytes";

    // Started again on the same folder: the bytes are there, the upload state is not.
    LiveProcess again(serveArgs(state));
    const auto port = again.waitFor(QStringLiteral("udp port (\\d+)"));
    ASSERT_TRUE(port.hasMatch()) << again.output().toStdString();
    ASSERT_TRUE(again.waitFor(QStringLiteral("running 1\\.0\\.0")).hasMatch()) << again.output().toStdString();
    EXPECT_TRUE(again.output().contains(QStringLiteral("restored the flash"))) << again.output().toStdString();
    const ProcessRun upload = testing::runCliProcess({QStringLiteral("smp"), QStringLiteral("--conn"),
                                                      QStringLiteral("udp:127.0.0.1:") + port.captured(1),
                                                      QStringLiteral("image"), QStringLiteral("upload"), path},
                                                     60000);
    ASSERT_EQ(upload.code, 0) << show(upload);
    EXPECT_FALSE(upload.out.contains(QStringLiteral("resumed"))) << show(upload);
    // The sha question was answered as a new upload: the first chunk's length, not `answered`.
    const auto first = again.waitFor(QStringLiteral("image upload off=0 len=(\\d+) [^\\n]*→ off=(\\d+)"));
    ASSERT_TRUE(first.hasMatch()) << again.output().toStdString();
    EXPECT_EQ(first.captured(2), first.captured(1)) << again.output().toStdString();
    EXPECT_EQ(again.stop(), 0) << again.output().toStdString();
    EXPECT_TRUE(readAll(slot1).left(image.size()) == image);
}

} // namespace
} // namespace otalab
