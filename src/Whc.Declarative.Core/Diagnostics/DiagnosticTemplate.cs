namespace Whc.Declarative.Core.Diagnostics;

// A template is a diagnostic's wording declared in the catalogue next to its code, with typed arguments: the call
// site passes values, never words, so each code's messages can be read (and reviewed) in one place. The wording is a
// lambda over an interpolated string: checked by the compiler, no format strings to get out of step with their
// arguments, no reflection. Code and severity always come from the descriptor; a template adds only the wording. A
// lambda that formats numbers or dates does so with string.Create(CultureInfo.InvariantCulture, ...), as a call site
// did, so a message reads the same on every machine.

/// <summary>A message with no arguments for <see cref="Descriptor"/>'s code.</summary>
public sealed class DiagnosticTemplate(DiagnosticDescriptor descriptor, string message)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public string Message { get; } = message;

    public Diagnostic At(SourceSpan span) => Descriptor.At(span, Message);

    public DiagnosticMessage With() => new(Descriptor, Message);
}

/// <summary>A message with one typed argument for <see cref="Descriptor"/>'s code.</summary>
public sealed class DiagnosticTemplate<T1>(DiagnosticDescriptor descriptor, Func<T1, string> message)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public string Message(T1 arg1) => message(arg1);

    /// <summary>The worded message without a place: for an exception that carries a code to where it is reported.</summary>
    public DiagnosticMessage With(T1 arg1) => new(Descriptor, message(arg1));

    public Diagnostic At(SourceSpan span, T1 arg1) => Descriptor.At(span, message(arg1));
}

/// <summary>A message with two typed arguments for <see cref="Descriptor"/>'s code.</summary>
public sealed class DiagnosticTemplate<T1, T2>(DiagnosticDescriptor descriptor, Func<T1, T2, string> message)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public string Message(T1 arg1, T2 arg2) => message(arg1, arg2);

    /// <summary>The worded message without a place: for an exception that carries a code to where it is reported.</summary>
    public DiagnosticMessage With(T1 arg1, T2 arg2) => new(Descriptor, message(arg1, arg2));

    public Diagnostic At(SourceSpan span, T1 arg1, T2 arg2) => Descriptor.At(span, message(arg1, arg2));
}

/// <summary>A message with three typed arguments for <see cref="Descriptor"/>'s code.</summary>
public sealed class DiagnosticTemplate<T1, T2, T3>(DiagnosticDescriptor descriptor, Func<T1, T2, T3, string> message)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public string Message(T1 arg1, T2 arg2, T3 arg3) => message(arg1, arg2, arg3);

    /// <summary>The worded message without a place: for an exception that carries a code to where it is reported.</summary>
    public DiagnosticMessage With(T1 arg1, T2 arg2, T3 arg3) => new(Descriptor, message(arg1, arg2, arg3));

    public Diagnostic At(SourceSpan span, T1 arg1, T2 arg2, T3 arg3) => Descriptor.At(span, message(arg1, arg2, arg3));
}

/// <summary>A message with four typed arguments for <see cref="Descriptor"/>'s code.</summary>
public sealed class DiagnosticTemplate<T1, T2, T3, T4>(DiagnosticDescriptor descriptor, Func<T1, T2, T3, T4, string> message)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public string Message(T1 arg1, T2 arg2, T3 arg3, T4 arg4) => message(arg1, arg2, arg3, arg4);

    /// <summary>The worded message without a place: for an exception that carries a code to where it is reported.</summary>
    public DiagnosticMessage With(T1 arg1, T2 arg2, T3 arg3, T4 arg4) => new(Descriptor, message(arg1, arg2, arg3, arg4));

    public Diagnostic At(SourceSpan span, T1 arg1, T2 arg2, T3 arg3, T4 arg4) => Descriptor.At(span, message(arg1, arg2, arg3, arg4));
}

/// <summary>A message with five typed arguments for <see cref="Descriptor"/>'s code; more than five: pass a small record.</summary>
public sealed class DiagnosticTemplate<T1, T2, T3, T4, T5>(DiagnosticDescriptor descriptor, Func<T1, T2, T3, T4, T5, string> message)
{
    public DiagnosticDescriptor Descriptor { get; } = descriptor;

    public string Message(T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5) => message(arg1, arg2, arg3, arg4, arg5);

    /// <summary>The worded message without a place: for an exception that carries a code to where it is reported.</summary>
    public DiagnosticMessage With(T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5) => new(Descriptor, message(arg1, arg2, arg3, arg4, arg5));

    public Diagnostic At(SourceSpan span, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5) =>
        Descriptor.At(span, message(arg1, arg2, arg3, arg4, arg5));
}

/// <summary>
/// A template's message worded with its arguments, not yet placed: what an exception carries (its code and text)
/// until a handler reports it at a place.
/// </summary>
public sealed record DiagnosticMessage(DiagnosticDescriptor Descriptor, string Text);

/// <summary>The factories that declare a template on its descriptor: <c>UnknownTarget.Template((string t) => $"...")</c>.</summary>
public sealed partial record DiagnosticDescriptor
{
    public DiagnosticTemplate Template(string message) => new(this, message);

    public DiagnosticTemplate<T1> Template<T1>(Func<T1, string> message) => new(this, message);

    public DiagnosticTemplate<T1, T2> Template<T1, T2>(Func<T1, T2, string> message) => new(this, message);

    public DiagnosticTemplate<T1, T2, T3> Template<T1, T2, T3>(Func<T1, T2, T3, string> message) => new(this, message);

    public DiagnosticTemplate<T1, T2, T3, T4> Template<T1, T2, T3, T4>(Func<T1, T2, T3, T4, string> message) => new(this, message);

    public DiagnosticTemplate<T1, T2, T3, T4, T5> Template<T1, T2, T3, T4, T5>(Func<T1, T2, T3, T4, T5, string> message) => new(this, message);
}
