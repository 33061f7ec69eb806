using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Manifests;
using Whc.Declarative.WhcApi;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// <c>whcctl doctor --cug CUG [--endpoint E] [--contract FILE] [--routes FILE] [--format text|json] [--record FILE]</c>: the safe first contact with an
/// endpoint. Fetches a token, then reads every route whcctl reads (<see cref="WhcDoctor"/>), and says per route whether
/// the answer is what whcctl expects, field by field. Read-only: no call it makes changes anything at BT. Exit 1 when
/// anything differs or is unreachable.
/// </summary>
public static class DoctorCommand
{
    public static Command Build(IOContext io)
    {
        var cug = new Option<string>("--cug") { Description = "Your reseller CUG id (CUG and 10 digits): the reseller routes are read for it.", Required = true };
        var endpoint = CommonOptions.Endpoint();
        var wire = new WireOptions();
        var format = CommonOptions.Format(OutputFormat.Text, OutputFormat.Json);
        var record = CommonOptions.Record();
        var runtimeOptions = new RuntimeOptions { AllowOrigin = CommonOptions.AllowOrigin() };
        var command = new Command("doctor", "Probe an endpoint read-only: token, then every route whcctl reads, each answer checked field by field as whcctl reads it.")
        {
            cug, endpoint, format, record,
        };
        wire.AddTo(command);
        runtimeOptions.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var runtime = CommandRuntime.Create(io, parseResult, runtimeOptions);
            return await runtime.GuardAsync(async () =>
            {
                var cugId = parseResult.GetValue(cug) ?? string.Empty;
                if (!ManifestFormats.CugId().IsMatch(cugId))
                {
                    io.Error.Write(DiagnosticCatalog.UsageInvalidCug.At(SourceSpan.None, cugId));
                    return ExitCodes.Error;
                }

                if (!runtime.StartRecording(parseResult.GetValue(record)))
                {
                    return ExitCodes.Error;
                }

                await runtime.ConnectAsync(parseResult.GetValue(endpoint), wire.Of(parseResult), null, cancellationToken);
                var connection = runtime.Connection!;
                var checks = await WhcDoctor.RunAsync(connection.Client, cugId, cancellationToken);
                var diagnosis = Diagnose(checks, cugId);
                DoctorView.For(parseResult.GetValue(format), io.Output).Checks(connection.Description, checks, diagnosis);
                if (diagnosis is not null)
                {
                    // After the rows, on stderr with the other diagnostics: the one line to act on.
                    io.Error.Write(diagnosis);
                }

                return checks.All(c => c.Result == DoctorResult.Ok) ? ExitCodes.Success : ExitCodes.Error;
            });
        });
        return command;
    }

    /// <summary>
    /// One line for many rows: when every check that failed got the same refusal (status and BT's code), its cause is
    /// named once (WHC4021), so the user need not infer it from the rows. BT's code 51 on the reseller routes says the
    /// client is not bound to the CUG, even on one row; any other shared refusal is named when two or more rows share it.
    /// </summary>
    internal static Diagnostic? Diagnose(IReadOnlyList<DoctorCheck> checks, string cugId)
    {
        var failing = checks.Where(c => c.Result != DoctorResult.Ok).ToList();
        if (failing.Count == 0 || failing[0].Status == 0 || failing.Any(c => c.Status != failing[0].Status || c.BtCode != failing[0].BtCode))
        {
            return null;
        }

        return failing[0] is { Status: 403, BtCode: "51" }
            ? DiagnosticCatalog.DoctorCugForbidden.At(SourceSpan.None, cugId, failing.Count, checks.Count)
            : failing.Count > 1 ? DiagnosticCatalog.DoctorSameRefusal.At(SourceSpan.None, failing[0].Status, failing[0].BtCode, failing.Count, checks.Count) : null;
    }
}
