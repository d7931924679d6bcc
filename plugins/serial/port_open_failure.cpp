// SPDX-License-Identifier: Apache-2.0
// Why an existing serial port could not be opened: holders, lock files, permission.
#include "port_open_failure.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace otalab::plugins::serial {

namespace {

// The user is in group `gid` in the group database but this process is not (added to
// dialout without logging in again).
bool memberOnlyAfterLogin(gid_t gid)
{
    std::vector<gid_t> current(static_cast<std::size_t>(std::max(0, ::getgroups(0, nullptr))));
    if (::getgroups(int(current.size()), current.data()) < 0)
        return false;
    if (::getegid() == gid || std::find(current.begin(), current.end(), gid) != current.end())
        return false;
    passwd entry{};
    passwd* user = nullptr;
    std::vector<char> buffer(16384);
    if (::getpwuid_r(::geteuid(), &entry, buffer.data(), buffer.size(), &user) != 0 || !user)
        return false;
    int count = 64;
    std::vector<gid_t> groups(static_cast<std::size_t>(count));
    if (::getgrouplist(user->pw_name, user->pw_gid, groups.data(), &count) < 0) {
        groups.resize(std::size_t(count));
        if (::getgrouplist(user->pw_name, user->pw_gid, groups.data(), &count) < 0)
            return false;
    }
    groups.resize(std::size_t(count));
    return std::find(groups.begin(), groups.end(), gid) != groups.end();
}

QString holderText(const PortHolder& holder, qint64 selfPid)
{
    QString text = QStringLiteral("pid %1").arg(holder.pid);
    if (!holder.name.isEmpty())
        text += QStringLiteral(", ") + holder.name;
    if (holder.pid == selfPid)
        text += QStringLiteral(" — this program: another connection to the same port");
    return text;
}

QString lockOwner(const PortLock& lock)
{
    return lock.name.isEmpty() ? QStringLiteral("pid %1").arg(lock.pid)
                               : QStringLiteral("pid %1 (%2)").arg(lock.pid).arg(lock.name);
}

QString permissionFix(const PortDiagnosis& d)
{
    if (d.group == QLatin1String("root"))
        return QStringLiteral("the device belongs to root alone: give it to the 'dialout' group with a udev rule "
                              "(GROUP=\"dialout\", MODE=\"0660\") and add yourself to that group");
    const QString group = d.group.isEmpty() ? QStringLiteral("dialout") : d.group;
    if (d.memberAfterLogin)
        return QStringLiteral("you were added to the '%1' group after this session began: log in again "
                              "(or start a shell with `newgrp %1`)").arg(group);
    return QStringLiteral("add yourself to the '%1' group (sudo usermod -aG %1 $USER, then log in again)").arg(group);
}

// Holders the running lock files name come first: they are the ones that refused us.
QList<PortHolder> lockOwnersFirst(QList<PortHolder> holders, const QList<PortLock>& locks)
{
    std::stable_partition(holders.begin(), holders.end(), [&](const PortHolder& h) {
        return std::any_of(locks.begin(), locks.end(), [&](const PortLock& l) { return l.running && l.pid == h.pid; });
    });
    return holders;
}

QString busy(const QString& port, const PortDiagnosis& d)
{
    QStringList holders;
    for (const PortHolder& h : lockOwnersFirst(d.holders, d.locks))
        holders << holderText(h, d.selfPid);
    const bool several = holders.size() > 1;
    QString text = QStringLiteral("serial port %1 is busy: close the program%2 that hold%3 the port (%4)")
                       .arg(port, several ? QStringLiteral("s") : QString(), several ? QString() : QStringLiteral("s"),
                            holders.join(QStringLiteral("; ")));
    for (const PortLock& lock : d.locks) {
        const bool listed = std::any_of(d.holders.begin(), d.holders.end(), [&](const PortHolder& h) {
            return h.pid == lock.pid;
        });
        if (lock.running && !listed)
            text += QStringLiteral("; its lock file %1 names %2").arg(lock.path, lockOwner(lock));
    }
    return text;
}

QString locked(const QString& port, const PortDiagnosis& d)
{
    for (const PortLock& lock : d.locks)
        if (lock.running)
            return QStringLiteral("serial port %1 is locked by %2 through the lock file %3: close that program")
                .arg(port, lockOwner(lock), lock.path);
    const PortLock& lock = d.locks.first();
    const QString owner = lock.pid ? QStringLiteral("%1 is no longer running").arg(lockOwner(lock))
                                   : QStringLiteral("it names no process");
    return QStringLiteral("serial port %1 has a stale lock file %2: %3; delete the file (sudo rm %2) and try again")
        .arg(port, lock.path, owner);
}

} // namespace

PortDiagnosis diagnosePort(const QString& port)
{
    PortDiagnosis d;
    d.selfPid = qint64(::getpid());
    d.holders = findPortHolders(port);
    d.locks = findPortLocks(port);
    const QByteArray path = QFile::encodeName(portSystemLocation(port));
    d.accessible = ::access(path.constData(), R_OK | W_OK) == 0;
    struct stat info {};
    if (::stat(path.constData(), &info) == 0) {
        d.group = QFileInfo(QFile::decodeName(path)).group();
        if (!d.accessible)
            d.memberAfterLogin = memberOnlyAfterLogin(info.st_gid);
    }
    return d;
}

QString describePortOpenFailure(const QString& port, const PortDiagnosis& d, const QString& qtError)
{
    QString text;
    if (!d.holders.isEmpty())
        text = busy(port, d);
    else if (!d.locks.isEmpty())
        text = locked(port, d);
    if (!d.accessible)
        text = text.isEmpty() ? QStringLiteral("permission denied opening %1: %2").arg(port, permissionFix(d))
                              : text + QStringLiteral("; you also lack permission to open it: ") + permissionFix(d);
    if (text.isEmpty())
        text = QStringLiteral("cannot open serial port %1: another program may hold it that this user cannot see; "
                              "find it with `sudo fuser -v %1` and close it").arg(port);
    return qtError.isEmpty() ? text : text + QStringLiteral(" (%1)").arg(qtError);
}

} // namespace otalab::plugins::serial
