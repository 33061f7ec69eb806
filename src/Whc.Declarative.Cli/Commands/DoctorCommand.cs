using System.CommandLine;
using System.Text.Json;
using Whc.Declarative.Cli.Infrastructure;
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
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

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
                    io.Error.Write(DiagnosticCatalog.UsageInvalid.At(SourceSpan.None, $"--cug '{cugId}' is not a CUG id (CUG and 10 digits)"));
                    return ExitCodes.Error;
                }

                if (!runtime.StartRecording(parseResult.GetValue(record)))
                {
                    return ExitCodes.Error;
                }

                await runtime.ConnectAsync(parseResult.GetValue(endpoint), wire.Of(parseResult), null, cancellationToken);
                var connection = runtime.Connection!;
                var checks = await WhcDoctor.RunAsync(connection.Client, cugId, cancellationToken);
                if (parseResult.GetValue(format) == OutputFormat.Json)
                {
                    io.Output.WriteLine(JsonSerializer.Serialize(
                        new
                        {
                            endpoint = connection.Description,
                            ok = checks.All(c => c.Result == DoctorResult.Ok),
                            checks = checks.Select(c => new { name = c.Name, method = c.Method, route = c.Route, result = ResultWord(c.Result), detail = c.Detail }),
                        },
                        Indented));
                }
                else
                {
                    WriteTable(io.Output, connection.Description, checks);
                }

                return checks.All(c => c.Result == DoctorResult.Ok) ? ExitCodes.Success : ExitCodes.Error;
            });
        });
        return command;
    }

    private static void WriteTable(TextWriter output, string endpoint, IReadOnlyList<DoctorCheck> checks)
    {
        output.WriteLine($"whcctl doctor: {Diagnostic.OneLine(endpoint)} (read-only: nothing at BT was changed)");
        var nameWidth = checks.Max(c => c.Name.Length);
        var routeWidth = checks.Max(c => c.Route.Length + c.Method.Length + 1);
        foreach (var check in checks)
        {
            var route = $"{check.Method} {check.Route}";
            output.WriteLine($"  {check.Name.PadRight(nameWidth)}  {Diagnostic.OneLine(route).PadRight(routeWidth)}  {ResultWord(check.Result)}: {Diagnostic.OneLine(check.Detail)}");
        }

        output.WriteLine($"{checks.Count(c => c.Result == DoctorResult.Ok)} ok, {checks.Count(c => c.Result == DoctorResult.Differs)} differ, {checks.Count(c => c.Result == DoctorResult.Unreachable)} unreachable");
    }

    private static string ResultWord(DoctorResult result) => result switch
    {
        DoctorResult.Ok => "ok",
        DoctorResult.Differs => "differs",
        _ => "unreachable",
    };
}
