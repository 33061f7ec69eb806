using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Rendering;
using Whc.Declarative.Cli.Tests.Support;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Engine.Operations;

namespace Whc.Declarative.Cli.Tests;

/// <summary>
/// Issue 26: one view per command output (as Terraform's command/views). Each command's format is chosen once, by its
/// view's factory; the handlers in Commands/ never ask which format is on; each view writes what the renderers' public
/// entry points give, to the stream the format uses.
/// </summary>
public sealed class ViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static Plan FailedPlan() =>
        new(Now, PlanMode.Normal, [], [DiagnosticCatalog.UnknownTarget.At(new SourceSpan("acme.yaml", 3, 5), "--target 'x' names nothing")]);

    private static Plan EmptyPlan() => new(Now, PlanMode.Normal, [], []);

    public static TheoryData<OutputFormat, Type> PlanFormats => new()
    {
        { OutputFormat.Text, typeof(PlanTextView) },
        { OutputFormat.Json, typeof(PlanJsonView) },
        { OutputFormat.Markdown, typeof(PlanMarkdownView) },
        { OutputFormat.Github, typeof(PlanGitHubView) },
    };

    [Theory]
    [MemberData(nameof(PlanFormats))]
    public void Each_plan_format_has_its_own_view(OutputFormat format, Type view) =>
        PlanView.For(format, TextWriter.Null, color: false).Should().BeOfType(view);

    [Fact]
    public void Every_command_with_a_format_chooses_a_view_per_format_it_accepts()
    {
        ShowView.For(OutputFormat.Text, TextWriter.Null, false).Should().BeOfType<ShowTextView>();
        ShowView.For(OutputFormat.Json, TextWriter.Null, false).Should().BeOfType<ShowJsonView>();
        ShowView.For(OutputFormat.Markdown, TextWriter.Null, false).Should().BeOfType<ShowMarkdownView>();
        ApplyView.For(OutputFormat.Text, Io().Io, false).Should().BeOfType<ApplyTextView>();
        ApplyView.For(OutputFormat.Json, Io().Io, false).Should().BeOfType<ApplyJsonView>();
        ValidateView.For(OutputFormat.Text, Io().Io).Should().BeOfType<ValidateTextView>();
        ValidateView.For(OutputFormat.Json, Io().Io).Should().BeOfType<ValidateJsonView>();
        ValidateView.For(OutputFormat.Github, Io().Io).Should().BeOfType<ValidateGitHubView>();
        StateView.For("text", TextWriter.Null).Should().BeOfType<StateTextView>();
        StateView.For("json", TextWriter.Null).Should().BeOfType<StateJsonView>();
        DoctorView.For(OutputFormat.Text, TextWriter.Null).Should().BeOfType<DoctorTextView>();
        DoctorView.For(OutputFormat.Json, TextWriter.Null).Should().BeOfType<DoctorJsonView>();
        ReplayView.For(OutputFormat.Text, TextWriter.Null).Should().BeOfType<ReplayTextView>();
        ReplayView.For(OutputFormat.Json, TextWriter.Null).Should().BeOfType<ReplayJsonView>();
        // contract show has no text: unset --format reads as its first format, JSON.
        ContractView.For(OutputFormat.Text, TextWriter.Null).Should().BeOfType<ContractJsonView>();
        ContractView.For(OutputFormat.Markdown, TextWriter.Null).Should().BeOfType<ContractMarkdownView>();
    }

    [Fact]
    public void The_plan_views_write_what_the_renderers_give()
    {
        var plan = EmptyPlan();

        Written(w => new PlanTextView(w, color: false).Plan(plan, targeted: false)).Should().Be(PlanTextRenderer.Render(plan, color: false));
        Written(w => new PlanJsonView(w).Plan(plan, targeted: true)).Should().Be(PlanJsonRenderer.Render(plan, targeted: true));
        Written(w => new PlanMarkdownView(w).Plan(plan, targeted: false)).Should().Be(PlanMarkdownRenderer.Render(plan));
        Written(w => new PlanGitHubView(w, color: false).Plan(plan, targeted: false)).Should().Be(PlanTextRenderer.Render(plan, color: false));
    }

    [Fact]
    public void A_failed_plan_is_shown_where_a_pipeline_reads_it_and_text_adds_nothing_to_stderr()
    {
        var failed = FailedPlan();

        Written(w => new PlanTextView(w, color: false).Failed(failed, targeted: false)).Should().BeEmpty();
        Written(w => new PlanJsonView(w).Failed(failed, targeted: false)).Should().Be(PlanJsonRenderer.Render(failed, targeted: false));
        Written(w => new PlanMarkdownView(w).Failed(failed, targeted: false)).Should().Be(PlanMarkdownRenderer.Render(failed));
        Written(w => new PlanGitHubView(w, color: false).Failed(failed, targeted: false)).Should().Be("::error file=acme.yaml,line=3,col=5,title=WHC3012::--target 'x' names nothing" + Environment.NewLine);
    }

    [Fact]
    public void Apply_as_text_shows_the_plan_on_stdout_and_progress_on_stderr()
    {
        var (io, output, error) = Io();
        var view = ApplyView.For(OutputFormat.Text, io, color: false);

        view.Plan(EmptyPlan());
        view.Progress(1).Notice("acme", "waiting for BT");
        view.Ended(new ApplyOutcome(EmptyPlan(), null, []));
        view.Stopped();

        output.ToString().Should().Be(PlanTextRenderer.Render(EmptyPlan(), color: false));
        error.ToString().Should().Be("  acme: waiting for BT" + Environment.NewLine);
    }

    [Fact]
    public void Apply_as_JSON_keeps_stdout_for_events_and_ends_with_one_summary_however_the_run_ends()
    {
        var (io, output, error) = Io();
        var view = ApplyView.For(OutputFormat.Json, io, color: false);

        view.Plan(EmptyPlan());
        view.Progress(1).Notice("acme", "waiting for BT");
        view.Ended(new ApplyOutcome(EmptyPlan(), null, []) { Declined = true });
        view.Stopped(); // the command's finally: after an outcome, nothing more

        error.ToString().Should().Be(PlanTextRenderer.Render(EmptyPlan(), color: false));
        var events = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        events.Select(e => e["type"]!.GetValue<string>()).Should().Equal("notice", "summary");
        events[1]["outcome"]!.GetValue<string>().Should().Be("declined");
        events[1]["succeeded"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public void Apply_as_JSON_stopped_without_an_outcome_summarises_an_error()
    {
        var (io, output, _) = Io();
        var view = ApplyView.For(OutputFormat.Json, io, color: false);

        view.Stopped();

        output.ToString().Should().Be("{\"type\":\"summary\",\"outcome\":\"error\",\"succeeded\":false,\"done\":0,\"failed\":0,\"skipped\":0}" + Environment.NewLine);
    }

    // Text that an encoder treats specially: quotes, a backslash, HTML-sensitive characters, non-ASCII, a control character.
    private const string Awkward = "d\u00e9j\u00e0 \"vu\" <a&b> 'x' \\ \u202E \u0007 +->";

    private static readonly System.Text.Json.JsonSerializerOptions FormerOptions = new() { WriteIndented = true };

    /// <summary>Doctor's JSON was an anonymous object through the serializer (reflection); written field by field, it reads byte for byte the same.</summary>
    [Fact]
    public void Doctor_JSON_is_byte_for_byte_what_the_serializer_wrote()
    {
        WhcApi.DoctorCheck[] checks = [new("token", "POST", "/oauth/" + Awkward, WhcApi.DoctorResult.Ok, Awkward), new("company", "GET", "/c", WhcApi.DoctorResult.Unreachable, string.Empty)];
        var former = System.Text.Json.JsonSerializer.Serialize(
            new
            {
                endpoint = Awkward,
                ok = false,
                checks = checks.Select(c => new { name = c.Name, method = c.Method, route = c.Route, result = c.Result == WhcApi.DoctorResult.Ok ? "ok" : "unreachable", detail = c.Detail }),
            },
            FormerOptions) + Environment.NewLine;

        Written(w => new DoctorJsonView(w).Checks(Awkward, checks)).Should().Be(former);
    }

    /// <summary>As for doctor: sandbox replay's JSON, null status and lists of differences included.</summary>
    [Fact]
    public void Replay_JSON_is_byte_for_byte_what_the_serializer_wrote()
    {
        var report = new WhcApi.Recording.ReplayReport(
        [
            new(1, "GET", "/a?q=" + Awkward, 200, 200, WhcApi.Recording.ReplayOutcome.Ok, []),
            new(2, "POST", "/b", 201, null, WhcApi.Recording.ReplayOutcome.Differs, [Awkward, "status 500"]),
        ]);
        var former = System.Text.Json.JsonSerializer.Serialize(
            new
            {
                recording = Awkward,
                ok = report.Ok,
                entries = report.Entries.Select(e => new
                {
                    number = e.Number,
                    method = e.Method,
                    path = e.Path,
                    recordedStatus = e.RecordedStatus,
                    status = e.ReplayedStatus,
                    result = e.Outcome == WhcApi.Recording.ReplayOutcome.Ok ? "ok" : "differs",
                    differences = e.Differences,
                }),
            },
            FormerOptions) + Environment.NewLine;

        Written(w => new ReplayJsonView(w).Report(Awkward, report)).Should().Be(former);
    }

    /// <summary>Validate's file and company lists went through the serializer; written value by value they read the same.</summary>
    [Fact]
    public void Validate_JSON_lists_are_byte_for_byte_what_the_serializer_wrote()
    {
        var result = new Manifests.ManifestLoadResult(new Core.Manifests.ManifestSet([], []), ["a/" + Awkward + ".yaml", "b.yaml"]);
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("valid", true);
            writer.WriteNumber("errors", 0);
            writer.WriteNumber("warnings", 0);
            writer.WritePropertyName("files");
            System.Text.Json.JsonSerializer.Serialize(writer, result.Files.ToArray());
            writer.WritePropertyName("companies");
            System.Text.Json.JsonSerializer.Serialize(writer, Array.Empty<string>());
            writer.WritePropertyName("diagnostics");
            DiagnosticsRenderer.WriteJson(writer, []);
            writer.WriteEndObject();
        }

        Written(w => new ValidateJsonView(w).Result(result)).Should().Be(System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine);
    }

    /// <summary>
    /// The handlers never ask which format is on: in Commands/, a format is named only where its option is declared
    /// (the values it accepts); no comparison with a format, no Json flag, no search for the JSON observer.
    /// </summary>
    [Fact]
    public void No_handler_branches_on_the_output_format()
    {
        var directory = Path.Combine(Repository.Root, "src", "Whc.Declarative.Cli", "Commands");
        var offenders = new List<string>();
        foreach (var file in Directory.GetFiles(directory, "*.cs").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            // Declaring the option names its formats; that is the only place they may appear.
            var code = Regex.Replace(text, @"^using [\w.]+;$|CommonOptions\.Format\([^;]*?\);|AcceptOnlyFromAmong\([^;]*?\);|HelpName = ""[^""]*""|DefaultValueFactory = _ => ""[^""]*""|Description = ""[^""]*""", string.Empty, RegexOptions.Multiline);
            foreach (Match match in Regex.Matches(code, @"OutputFormat\.\w+|""(json|text|markdown|github)""|\bJson\b(?!\w)|JsonEventObserver|\.Find<"))
            {
                offenders.Add($"{Path.GetFileName(file)}: {match.Value}");
            }
        }

        offenders.Should().BeEmpty("a handler hands its output to a view chosen once from --format (src/Whc.Declarative.Cli/Views)");
    }

    private static string Written(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString();
    }

    private static (IOContext Io, StringWriter Output, StringWriter Error) Io()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var io = new IOContext(output, error, TextReader.Null, ImmutableDictionary<string, string?>.Empty, Path.GetTempPath(), isTerminal: false);
        return (io, output, error);
    }
}
