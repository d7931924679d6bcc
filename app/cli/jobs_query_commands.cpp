// SPDX-License-Identifier: Apache-2.0
// otalab-cli jobs list | describe ID | cancel ID [--force]: questions and orders to a
// running `otalab-cli jobs serve` over the broker's control topics.
#include "app/cli/cli.h"
#include "app/cli/commands.h"
#include "app/cli/jobs_support.h"

namespace otalab::cli {

using hw::jobs::ControlOp;
using hw::jobs::ControlRequest;

namespace {

QCommandLineOption waitOption()
{
    return QCommandLineOption(QStringLiteral("wait"),
                              QStringLiteral("Seconds to wait for the service's answer (default 10)."),
                              QStringLiteral("S"));
}

Result<int> waitMs(const QCommandLineParser& parser, const QCommandLineOption& option)
{
    if (!parser.isSet(option))
        return 10000;
    auto seconds = parseUnsigned(parser.value(option), QStringLiteral("wait"), 3600);
    if (!seconds)
        return fail(seconds.error());
    if (*seconds == 0)
        return fail(QStringLiteral("--wait: give at least 1 second"));
    return int(*seconds * 1000);
}

// Shared body: parse, check one positional job id when needed, call, print.
int queryCommand(const QStringList& args, CliIo& io, ControlOp op, const QString& description)
{
    QCommandLineParser parser;
    const QCommandLineOption broker = brokerOption();
    const QCommandLineOption wait = waitOption();
    const QCommandLineOption force(QStringLiteral("force"),
                                   QStringLiteral("Cancel in-progress executions too (devices mid-download are told "
                                                  "to stop); without it only queued executions are canceled."));
    const QCommandLineOption reason(QStringLiteral("reason"), QStringLiteral("Words kept with the canceled job."),
                                    QStringLiteral("TEXT"));
    parser.addOption(broker);
    parser.addOption(wait);
    if (op == ControlOp::Cancel) {
        parser.addOption(force);
        parser.addOption(reason);
    }
    if (op != ControlOp::List)
        parser.addPositionalArgument(QStringLiteral("JOB_ID"), QStringLiteral("The job."));
    if (auto stop = parseCommand(parser, args, io, description))
        return *stop;
    const QStringList positional = parser.positionalArguments();
    const qsizetype wanted = op == ControlOp::List ? 0 : 1;
    if (positional.size() != wanted)
        return reportError(io,
                           wanted == 0 ? QStringLiteral("unexpected argument '%1' (see --help)").arg(positional.value(0))
                                       : QStringLiteral("give one job id (see --help)"),
                           ExitUsage);
    auto options = brokerFrom(parser, broker);
    if (!options)
        return reportError(io, options.error().message, ExitUsage);
    auto limit = waitMs(parser, wait);
    if (!limit)
        return reportError(io, limit.error().message, ExitUsage);

    ControlRequest request;
    request.op = op;
    if (op != ControlOp::List)
        request.jobId = positional.first();
    if (op == ControlOp::Cancel) {
        request.force = parser.isSet(force);
        request.reason = parser.isSet(reason) ? parser.value(reason) : QStringLiteral("canceled by the user");
    }
    auto call = callJobsService(*options, request, *limit);
    if (!call)
        return reportError(io, call.error().message, ExitConnection);
    if (!call->response.ok)
        return reportServiceFailure(io, *call);
    if (op == ControlOp::List) {
        if (call->response.jobs.empty())
            io.out << "no jobs\n";
        for (const auto& job : call->response.jobs)
            printJobLine(io.out, job);
    } else {
        for (const auto& job : call->response.jobs)
            printJobDetails(io.out, job);
    }
    io.out.flush();
    return ExitOk;
}

} // namespace

int jobsListCommand(const QStringList& args, CliIo& io)
{
    return queryCommand(args, io, ControlOp::List,
                        QStringLiteral("List the jobs a running `otalab-cli jobs serve` keeps: id, status, targets, "
                                       "stream, how many things were notified and the current rollout rate."));
}

int jobsDescribeCommand(const QStringList& args, CliIo& io)
{
    return queryCommand(args, io, ControlOp::Describe,
                        QStringLiteral("Show one job and each of its executions: thing, status (QUEUED, IN_PROGRESS, "
                                       "SUCCEEDED, FAILED, TIMED_OUT, REJECTED, REMOVED, CANCELED), execution number, "
                                       "version number, blocks sent of the file and the device's last statusDetails."));
}

int jobsCancelCommand(const QStringList& args, CliIo& io)
{
    return queryCommand(args, io, ControlOp::Cancel,
                        QStringLiteral("Cancel a job: no more things are notified, queued executions become "
                                       "CANCELED; with --force in-progress executions too. Prints the job after."));
}

} // namespace otalab::cli
