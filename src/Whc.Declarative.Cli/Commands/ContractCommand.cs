using System.CommandLine;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Cli.Views;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Cli.Commands;

/// <summary>
/// <c>whcctl contract show [--contract FILE] [--routes FILE] [--format json|markdown]</c>: the effective wire contract
/// (the built-in one with the files laid over it), with where each part comes from: BT's guide, TM Forum, assumed,
/// or an override. Nothing is called; a contract that does not load is reported like any configuration error.
/// </summary>
public static class ContractCommand
{
    public static Command Build(IOContext io)
    {
        var wire = new WireOptions();
        var format = CommonOptions.Format(OutputFormat.Json, OutputFormat.Markdown);
        var show = new Command("show", "Print the effective wire contract (built-in, --contract, --routes) with the source of each part.") { format };
        wire.AddTo(show);
        show.SetAction(parseResult => CommandRuntime.Guard(io, () =>
        {
            var load = wire.Of(parseResult).Load(io);
            ContractView.For(parseResult.GetValue(format), io.Output).Contract(load);
            return Task.FromResult(ExitCodes.Success);
        }));
        return new Command("contract", "The wire contract: every detail of BT's API whcctl assumes, as data.") { show };
    }
}
