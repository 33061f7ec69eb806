using System.Text.Json;
using Whc.Declarative.Cli.Infrastructure;
using Whc.Declarative.Contract;

namespace Whc.Declarative.Cli.Views;

/// <summary>What <c>whcctl contract show</c> prints, one implementation per <c>--format</c> (json, markdown).</summary>
public interface IContractView
{
    void Contract(ContractLoad load);
}

/// <summary>Chooses the contract view for a format: the one place <c>contract show</c> looks at <c>--format</c>.</summary>
public static class ContractView
{
    /// <param name="format">Unset reads as text, which this command does not have: its first format, JSON.</param>
    public static IContractView For(OutputFormat format, TextWriter output) =>
        format == OutputFormat.Markdown ? new ContractMarkdownView(output) : new ContractJsonView(output);
}

/// <summary>The contract as a reference page.</summary>
public sealed class ContractMarkdownView(TextWriter output) : IContractView
{
    public void Contract(ContractLoad load) => output.Write(ContractReference.ToMarkdown(load));
}

/// <summary>The contract as data, indented.</summary>
public sealed class ContractJsonView(TextWriter output) : IContractView
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Contract(ContractLoad load) => output.Write(ContractReference.ToJson(load).ToJsonString(Indented) + "\n");
}
