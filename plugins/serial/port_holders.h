// SPDX-License-Identifier: Apache-2.0
// Who holds a serial port: processes with a file descriptor open on it (Linux /proc) and
// UUCP-style lock files "LCK..NAME" (QSerialPort's QLockFile, minicom, lockdev).
// Reads the file system only; every function may be called from any thread.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace otalab::plugins::serial {

// The device path QSerialPort opens for `port`: a bare "ttyACM0" means /dev/ttyACM0.
QString portSystemLocation(const QString& port);

struct PortHolder {
    qint64 pid = 0;
    QString name;   // the process's /proc/PID/comm ("minicom"); empty when unreadable
};

// Processes with a descriptor open on `device`. The device path is resolved to its
// canonical path first (a /dev/serial/by-id/… or socat link names the real node), then
// every `procRoot`/PID/fd/* link is read and compared with it. Entries that cannot be read
// — another user's processes without privileges, processes that exit meanwhile, sockets
// and pipes — are skipped. One entry per process, sorted by pid; empty when the device
// does not exist or `procRoot` holds no process directories.
QList<PortHolder> findPortHolders(const QString& device, const QString& procRoot = QStringLiteral("/proc"));

struct PortLock {
    QString path;         // the lock file
    qint64 pid = 0;       // the pid it names (first number on its first line); 0 if none
    QString name;         // the holder's /proc comm when it runs, else the program the file names
    bool running = false; // `procRoot`/PID exists
};

// The directories QSerialPort (Qt 6, in its order) and UUCP-style tools keep lock files in.
QStringList defaultLockDirectories();

// Lock files for `device` in `lockDirs`: LCK..NAME where NAME is the port name as
// QSerialPort derives it ("/dev/" stripped, '/' → '_'), for the path as given and for its
// canonical path. The same file reached through two directories (/var/lock → /run/lock)
// is listed once. `procRoot` tells whether the named pid runs and what it is called.
QList<PortLock> findPortLocks(const QString& device, const QStringList& lockDirs = defaultLockDirectories(),
                              const QString& procRoot = QStringLiteral("/proc"));

} // namespace otalab::plugins::serial
