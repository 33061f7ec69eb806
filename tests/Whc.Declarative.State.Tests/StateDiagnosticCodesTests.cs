using System.Reflection;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.State.Tests;

public sealed class StateDiagnosticCodesTests
{
    [Fact]
    public void The_lock_and_conflict_exceptions_use_the_catalogued_codes()
    {
        new StateLockedException("acme", SampleStates.Holder()).Code.Should().Be(DiagnosticCatalog.StateLocked.Code);
        new StateConflictException("x").Code.Should().Be(DiagnosticCatalog.StateConflict.Code);
        new StateException("x").Code.Should().Be(DiagnosticCatalog.StateError.Code);
    }

    [Fact]
    public void State_codes_are_unique_and_in_the_WHC5xxx_range()
    {
        // Reads the descriptors directly: DiagnosticCatalog.All currently recurses into itself (reported to the lead).
        var codes = typeof(DiagnosticCatalog).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(DiagnosticDescriptor))
            .Select(p => ((DiagnosticDescriptor)p.GetValue(null)!).Code)
            .Where(c => c.StartsWith("WHC5", StringComparison.Ordinal))
            .ToList();

        codes.Should().HaveCount(11).And.OnlyHaveUniqueItems();
    }
}
