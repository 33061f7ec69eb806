namespace Whc.Declarative.Cli.Infrastructure;

public sealed class StderrWriter(TextWriter inner) : TextWriter
{
    public override System.Text.Encoding Encoding => inner.Encoding;

    public void Configure(bool quiet, bool json, TimeProvider clock)
    {
        _ = inner;
    }

    public override void Write(char value) => inner.Write(value);
}
