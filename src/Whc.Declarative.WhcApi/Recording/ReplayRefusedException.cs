namespace Whc.Declarative.WhcApi.Recording;

/// <summary>
/// A recording asks for a request the replay will not send (another origin, a path that is a URL, a header that
/// would split the request); thrown before anything is sent, with every problem, one per entry, in entry order.
/// </summary>
public sealed class ReplayRefusedException : Exception
{
    public ReplayRefusedException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    public ReplayRefusedException()
        : this([])
    {
    }

    public ReplayRefusedException(string message)
        : this([message])
    {
    }

    public ReplayRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>"entry N: why", in entry order.</summary>
    public IReadOnlyList<string> Problems { get; }
}
