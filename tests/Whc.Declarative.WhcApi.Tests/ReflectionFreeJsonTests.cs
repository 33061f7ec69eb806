using System.Text.Json;

namespace Whc.Declarative.WhcApi.Tests;

/// <summary>
/// This test run has reflection-based System.Text.Json switched off (the project file says so), as the native executable
/// has: any code under test that serialised by reflection would fail here as it fails there.
/// </summary>
public sealed class ReflectionFreeJsonTests
{
    private sealed record Probe(int Value);

    [Fact]
    public void Reflection_based_serialisation_is_switched_off_in_this_test_run() =>
        FluentActions.Invoking(() => JsonSerializer.Serialize(new Probe(1)))
            .Should().Throw<InvalidOperationException>("JsonSerializerIsReflectionEnabledByDefault is false for this project");
}
