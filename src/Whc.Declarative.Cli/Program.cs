using Whc.Declarative.Cli;
using Whc.Declarative.Cli.Infrastructure;

ShortLivedHeap.Begin();
AllocationReport.WriteAtExitIfAsked();

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C asks the running command to stop cleanly (state is saved after every step); a second one kills.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};
return await WhcctlApp.RunAsync(args, IOContext.FromProcess(), cancellation.Token);
