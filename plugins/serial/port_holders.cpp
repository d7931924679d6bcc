// SPDX-License-Identifier: Apache-2.0
// Who holds a serial port: /proc fd links and LCK.. lock files.
#include "port_holders.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <unistd.h>

namespace otalab::plugins::serial {

namespace {

// The raw target of a symbolic link ("/dev/pts/3", "socket:[812]"), empty when unreadable.
QString linkTarget(const QString& path)
{
    char buffer[4096];
    const ssize_t n = ::readlink(QFile::encodeName(path).constData(), buffer, sizeof buffer);
    return n > 0 && std::size_t(n) < sizeof buffer ? QFile::decodeName(QByteArray(buffer, int(n))) : QString();
}

bool pointsAt(const QString& fdLink, const QString& canonicalDevice)
{
    const QString target = linkTarget(fdLink);
    if (!target.startsWith(QLatin1Char('/')))
        return false;   // socket:[…], pipe:[…], anon_inode:…
    return target == canonicalDevice || QFileInfo(target).canonicalFilePath() == canonicalDevice;
}

QString processName(const QString& procRoot, qint64 pid)
{
    QFile comm(QStringLiteral("%1/%2/comm").arg(procRoot).arg(pid));
    if (!comm.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(comm.read(256)).trimmed();
}

bool holdsDevice(const QString& fdDir, const QString& canonicalDevice)
{
    const QStringList fds =
        QDir(fdDir).entryList(QDir::AllEntries | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot);
    return std::any_of(fds.begin(), fds.end(), [&](const QString& fd) {
        return pointsAt(fdDir + QLatin1Char('/') + fd, canonicalDevice);
    });
}

// QSerialPortInfoPrivate::portNameFromSystemLocation + the '/' → '_' of its lock file name.
QString lockName(const QString& systemLocation)
{
    QString name = systemLocation.startsWith(QLatin1String("/dev/")) ? systemLocation.mid(5) : systemLocation;
    return name.replace(QLatin1Char('/'), QLatin1Char('_'));
}

PortLock readLock(const QString& path, const QString& procRoot)
{
    PortLock lock;
    lock.path = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lock;
    // QLockFile: "PID\nAPPNAME\nHOST\n…"; HDB UUCP (minicom, lockdev): "      PID [PROGRAM [USER]]\n".
    const QList<QByteArray> lines = file.read(1024).split('\n');
    const QList<QByteArray> first = lines.value(0).simplified().split(' ');
    bool ok = false;
    lock.pid = first.value(0).toLongLong(&ok);
    if (!ok || lock.pid <= 0) {
        lock.pid = 0;
        return lock;
    }
    lock.running = QFileInfo::exists(QStringLiteral("%1/%2").arg(procRoot).arg(lock.pid));
    lock.name = lock.running ? processName(procRoot, lock.pid) : QString();
    if (lock.name.isEmpty())
        lock.name = QString::fromUtf8(first.size() > 1 ? first.at(1) : lines.value(1).trimmed());
    return lock;
}

} // namespace

// As QSerialPortInfoPrivate::portNameToSystemLocation.
QString portSystemLocation(const QString& port)
{
    const bool path = port.startsWith(QLatin1Char('/')) || port.startsWith(QLatin1String("./"))
        || port.startsWith(QLatin1String("../"));
    return path ? port : QStringLiteral("/dev/") + port;
}

QList<PortHolder> findPortHolders(const QString& device, const QString& procRoot)
{
    const QString canonicalDevice = QFileInfo(portSystemLocation(device)).canonicalFilePath();
    if (canonicalDevice.isEmpty())
        return {};
    QList<PortHolder> holders;
    const QStringList entries = QDir(procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok || pid <= 0)
            continue;   // /proc/self, /proc/sys, …
        if (holdsDevice(QStringLiteral("%1/%2/fd").arg(procRoot, entry), canonicalDevice))
            holders.append(PortHolder{pid, processName(procRoot, pid)});
    }
    std::sort(holders.begin(), holders.end(), [](const PortHolder& a, const PortHolder& b) { return a.pid < b.pid; });
    return holders;
}

QStringList defaultLockDirectories()
{
    QStringList dirs{QStringLiteral("/var/lock"),        QStringLiteral("/etc/locks"),
                     QStringLiteral("/var/spool/locks"), QStringLiteral("/var/spool/uucp"),
                     QStringLiteral("/tmp"),             QStringLiteral("/var/tmp"),
                     QStringLiteral("/var/lock/lockdev"), QStringLiteral("/run/lock")};
    const QString temp = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
    if (!temp.isEmpty() && !dirs.contains(temp))
        dirs.append(temp);
    return dirs;
}

QList<PortLock> findPortLocks(const QString& device, const QStringList& lockDirs, const QString& procRoot)
{
    const QString given = portSystemLocation(device);
    QStringList names{lockName(given)};
    const QString canonical = QFileInfo(given).canonicalFilePath();
    if (!canonical.isEmpty() && !names.contains(lockName(canonical)))
        names.append(lockName(canonical));
    QList<PortLock> locks;
    QStringList seen;
    for (const QString& dir : lockDirs) {
        for (const QString& name : names) {
            const QString path = QStringLiteral("%1/LCK..%2").arg(dir, name);
            const QString real = QFileInfo(path).canonicalFilePath();
            if (real.isEmpty() || seen.contains(real))
                continue;
            seen.append(real);
            locks.append(readLock(path, procRoot));
        }
    }
    return locks;
}

} // namespace otalab::plugins::serial
