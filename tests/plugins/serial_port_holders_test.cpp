// SPDX-License-Identifier: Apache-2.0
// A busy serial port explained: the /proc scan on a fake proc tree and on real ptys (one
// this process holds, one socat holds), lock files in both formats, the message's order
// (the holder first, 'dialout' only without permission), and the serial transport
// refusing a port another connection holds.
#include "plugin_test_support.h"
#include "plugins/serial/port_holders.h"
#include "plugins/serial/port_open_failure.h"

#include <QDir>
#include <QFile>
#include <QSerialPort>
#include <QTemporaryDir>

#include <cstdio>
#include <pty.h>
#include <unistd.h>

using namespace otalab;
using namespace otalab::plugins::serial;
using namespace otalab::testing;

namespace {

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly)) << path.toStdString();
    file.write(bytes);
}

void makeLink(const QString& target, const QString& path)
{
    QDir().mkpath(QFileInfo(path).path());
    ASSERT_EQ(::symlink(QFile::encodeName(target).constData(), QFile::encodeName(path).constData()), 0)
        << path.toStdString();
}

// A fake /proc and /dev in a temporary folder: pid 1234 (minicom) holds dev/ttyACM0 by its
// real path, pid 42 (no comm) through a by-id link; pid 77 holds something else; pid 555
// has exited (no fd folder); "self" and "sys" are not processes.
struct FakeSystem {
    FakeSystem()
    {
        writeFile(device(), {});
        makeLink(device(), dir.filePath(QStringLiteral("dev/serial/by-id/usb-ZEPHYR_board-if00")));
        makeLink(device(), proc(QStringLiteral("1234/fd/0")));
        makeLink(QStringLiteral("socket:[4711]"), proc(QStringLiteral("1234/fd/1")));
        makeLink(device(), proc(QStringLiteral("1234/fd/2")));   // the same process twice: listed once
        writeFile(proc(QStringLiteral("1234/comm")), "minicom\n");
        makeLink(byId(), proc(QStringLiteral("42/fd/5")));
        writeFile(dir.filePath(QStringLiteral("dev/other")), {});
        makeLink(dir.filePath(QStringLiteral("dev/other")), proc(QStringLiteral("77/fd/3")));
        writeFile(proc(QStringLiteral("77/comm")), "screen\n");
        QDir().mkpath(proc(QStringLiteral("555")));
        makeLink(proc(QStringLiteral("1234")), proc(QStringLiteral("self")));
        QDir().mkpath(proc(QStringLiteral("sys/fd")));
    }
    QString device() const { return QFileInfo(dir.path()).canonicalFilePath() + QStringLiteral("/dev/ttyACM0"); }
    QString byId() const { return dir.filePath(QStringLiteral("dev/serial/by-id/usb-ZEPHYR_board-if00")); }
    QString procRoot() const { return dir.filePath(QStringLiteral("proc")); }
    QString proc(const QString& rest) const { return procRoot() + QLatin1Char('/') + rest; }

    QTemporaryDir dir;
};

PortDiagnosis accessibleWith(QList<PortHolder> holders, QList<PortLock> locks = {})
{
    PortDiagnosis d;
    d.holders = std::move(holders);
    d.locks = std::move(locks);
    d.group = QStringLiteral("dialout");
    d.selfPid = 1;
    return d;
}

QString ownName()
{
    QFile comm(QStringLiteral("/proc/self/comm"));
    return comm.open(QIODevice::ReadOnly) ? QString::fromUtf8(comm.readAll()).trimmed() : QString();
}

} // namespace

TEST(SerialPortHolders, FindsTheProcessesOfAFakeProcTreeThroughLinks)
{
    FakeSystem system;
    ASSERT_TRUE(system.dir.isValid());
    const QList<PortHolder> expected{{42, QString()}, {1234, QStringLiteral("minicom")}};
    for (const QString& path : {system.device(), system.byId()}) {
        const QList<PortHolder> holders = findPortHolders(path, system.procRoot());
        ASSERT_EQ(holders.size(), 2) << path.toStdString();
        for (int i = 0; i < 2; ++i) {
            EXPECT_EQ(holders[i].pid, expected[i].pid);
            EXPECT_EQ(holders[i].name, expected[i].name);
        }
    }
    EXPECT_TRUE(findPortHolders(system.dir.filePath(QStringLiteral("dev/ttyACM9")), system.procRoot()).isEmpty());
    EXPECT_TRUE(findPortHolders(system.device(), system.dir.filePath(QStringLiteral("no-proc"))).isEmpty());
}

TEST(SerialPortHolders, FindsThisProcessHoldingAPty)
{
    int master = -1;
    int slave = -1;
    char name[256] = {};
    ASSERT_EQ(::openpty(&master, &slave, name, nullptr, nullptr), 0);
    const QList<PortHolder> holders = findPortHolders(QString::fromLocal8Bit(name));
    ::close(slave);
    const QList<PortHolder> afterClose = findPortHolders(QString::fromLocal8Bit(name));
    ::close(master);

    const qint64 self = QCoreApplication::applicationPid();
    auto isSelf = [&](const PortHolder& h) { return h.pid == self; };
    const auto found = std::find_if(holders.begin(), holders.end(), isSelf);
    ASSERT_NE(found, holders.end()) << name;
    EXPECT_EQ(found->name, ownName());
    EXPECT_TRUE(std::none_of(afterClose.begin(), afterClose.end(), isSelf)) << "the master is not the slave";
}

TEST(SerialPortHolders, FindsSocatHoldingItsPtyThroughTheLink)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    ASSERT_GT(pty.pid(), 0);
    const QList<PortHolder> holders = findPortHolders(pty.a());
    const auto socat =
        std::find_if(holders.begin(), holders.end(), [&](const PortHolder& h) { return h.pid == pty.pid(); });
    ASSERT_NE(socat, holders.end());
    EXPECT_EQ(socat->name, QStringLiteral("socat"));
}

TEST(SerialPortHolders, ReadsLockFilesInQLockFileAndUucpFormat)
{
    FakeSystem system;
    QTemporaryDir locks;
    const QString a = locks.filePath(QStringLiteral("a"));
    const QString b = locks.filePath(QStringLiteral("b"));
    writeFile(a + QStringLiteral("/LCK..ttyOTALAB-test0"), "      1234 minicom root\n");   // HDB UUCP, running
    writeFile(b + QStringLiteral("/LCK..ttyOTALAB-test0"), "777\notalab-cli\nbench-pc\n");  // QLockFile, gone
    makeLink(b, locks.filePath(QStringLiteral("b-again")));   // like /var/lock → /run/lock
    const QStringList dirs{a, locks.filePath(QStringLiteral("empty")), b, locks.filePath(QStringLiteral("b-again"))};

    const QList<PortLock> found = findPortLocks(QStringLiteral("ttyOTALAB-test0"), dirs, system.procRoot());
    ASSERT_EQ(found.size(), 2);
    EXPECT_EQ(found[0].path, a + QStringLiteral("/LCK..ttyOTALAB-test0"));
    EXPECT_EQ(found[0].pid, 1234);
    EXPECT_EQ(found[0].name, QStringLiteral("minicom"));
    EXPECT_TRUE(found[0].running);
    EXPECT_EQ(found[1].pid, 777);
    EXPECT_EQ(found[1].name, QStringLiteral("otalab-cli"));
    EXPECT_FALSE(found[1].running);
    // QSerialPort names a port outside /dev by its whole path: LCK.._tmp_…
    const QString outside = system.dir.filePath(QStringLiteral("ttyV0"));
    writeFile(a + QStringLiteral("/LCK..") + QString(outside).replace(QLatin1Char('/'), QLatin1Char('_')), "garbage\n");
    const QList<PortLock> named = findPortLocks(outside, {a}, system.procRoot());
    ASSERT_EQ(named.size(), 1);
    EXPECT_EQ(named[0].pid, 0);
    EXPECT_FALSE(named[0].running);
}

TEST(SerialPortOpenFailure, TheHolderComesFirstAndDialoutOnlyWithoutPermission)
{
    const QString port = QStringLiteral("/dev/ttyACM0");
    const QString held = describePortOpenFailure(port, accessibleWith({{1234, QStringLiteral("minicom")}}),
                                                 QStringLiteral("Permission error while locking the device"));
    EXPECT_EQ(held, QStringLiteral("serial port /dev/ttyACM0 is busy: close the program that holds the port "
                                   "(pid 1234, minicom) (Permission error while locking the device)"));

    PortDiagnosis both = accessibleWith({{1234, QStringLiteral("minicom")}});
    both.accessible = false;
    const QString heldAndDenied = describePortOpenFailure(port, both, {});
    EXPECT_TRUE(heldAndDenied.startsWith(QStringLiteral("serial port /dev/ttyACM0 is busy: close the program that "
                                                        "holds the port (pid 1234, minicom); you also lack permission")))
        << heldAndDenied.toStdString();
    EXPECT_TRUE(heldAndDenied.contains(QStringLiteral("'dialout'"))) << heldAndDenied.toStdString();

    PortDiagnosis denied = accessibleWith({});
    denied.accessible = false;
    denied.group = QStringLiteral("uucp");
    EXPECT_EQ(describePortOpenFailure(port, denied, QStringLiteral("Permission denied")),
              QStringLiteral("permission denied opening /dev/ttyACM0: add yourself to the 'uucp' group "
                             "(sudo usermod -aG uucp $USER, then log in again) (Permission denied)"));
    denied.memberAfterLogin = true;
    EXPECT_TRUE(
        describePortOpenFailure(port, denied, {}).contains(QStringLiteral("after this session began: log in again")));

    const QString unseen = describePortOpenFailure(port, accessibleWith({}), QStringLiteral("x"));
    EXPECT_TRUE(unseen.startsWith(QStringLiteral("cannot open serial port /dev/ttyACM0: another program may hold it")))
        << unseen.toStdString();
    EXPECT_FALSE(unseen.contains(QStringLiteral("dialout"))) << unseen.toStdString();
}

TEST(SerialPortOpenFailure, NamesLockFilesAndPutsTheLockOwnerFirst)
{
    const QString port = QStringLiteral("/dev/ttyACM0");
    const PortLock live{QStringLiteral("/run/lock/LCK..ttyACM0"), 1234, QStringLiteral("minicom"), true};
    const PortLock stale{QStringLiteral("/run/lock/LCK..ttyACM0"), 999, QStringLiteral("otalab"), false};
    EXPECT_EQ(describePortOpenFailure(port, accessibleWith({}, {live}), {}),
              QStringLiteral("serial port /dev/ttyACM0 is locked by pid 1234 (minicom) through the lock file "
                             "/run/lock/LCK..ttyACM0: close that program"));
    EXPECT_EQ(describePortOpenFailure(port, accessibleWith({}, {stale}), {}),
              QStringLiteral("serial port /dev/ttyACM0 has a stale lock file /run/lock/LCK..ttyACM0: pid 999 (otalab) "
                             "is no longer running; delete the file (sudo rm /run/lock/LCK..ttyACM0) and try again"));
    const QList<PortHolder> holders{
        {300, QStringLiteral("socat")}, {1234, QStringLiteral("minicom")}, {1, QStringLiteral("otalab")}};
    const QString ordered = describePortOpenFailure(port, accessibleWith(holders, {live}), {});
    EXPECT_TRUE(ordered.startsWith(QStringLiteral("serial port /dev/ttyACM0 is busy: close the programs that hold the "
                                                  "port (pid 1234, minicom; pid 300, socat; pid 1, otalab — this "
                                                  "program: another connection to the same port)")))
        << ordered.toStdString();
}

TEST(SerialTransport, APortAnotherConnectionHoldsIsReportedBusyWithItsHolderFirst)
{
    OTALAB_REQUIRE_SOCAT();
    SocatPair pty;
    QSerialPort holder;   // a second program would do the same: QSerialPort's lock file + descriptor
    holder.setPortName(pty.a());
    ASSERT_TRUE(holder.open(QIODevice::ReadWrite)) << holder.errorString().toStdString();
    const qint64 self = QCoreApplication::applicationPid();
    const QList<PortLock> locks = findPortLocks(pty.a());
    EXPECT_TRUE(std::any_of(locks.begin(), locks.end(), [&](const PortLock& l) { return l.running && l.pid == self; }))
        << "QSerialPort's lock file for " << pty.a().toStdString() << " was not found";

    auto client = makeTransport(QStringLiteral("serial:%1").arg(pty.a()));
    ASSERT_TRUE(client);
    Recorder recorder(client.get());
    EXPECT_FALSE(openAndWait(client.get()));
    ASSERT_EQ(recorder.errors.size(), 1);
    const QString message = recorder.errors.at(0);
    if (qEnvironmentVariableIsSet("OTALAB_TEST_LOG"))
        std::fprintf(stderr, "  | %s\n", qPrintable(message));
    EXPECT_TRUE(message.startsWith(
        QStringLiteral("serial port %1 is busy: close the programs that hold the port (pid %2, ").arg(pty.a()).arg(self)))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("pid %1, socat").arg(pty.pid()))) << message.toStdString();
    if (::access(QFile::encodeName(pty.a()).constData(), R_OK | W_OK) == 0)
        EXPECT_FALSE(message.contains(QStringLiteral("dialout"))) << message.toStdString();

    holder.close();
    EXPECT_TRUE(openAndWait(client.get())) << recorder.errors.constLast().toStdString();
}
