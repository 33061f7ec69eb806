using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Operations;

/// <summary>
/// Qualify a company (route <c>qualify</c>). Its effect is a qualification BT holds for the company that is newer
/// than the one state records; it is found by reading the company by CUG and name.
/// </summary>
public sealed class QualifyOperation : BtOperation<QualifyIntent, NoInput, QualificationResult>
{
    public override string Name => IntentOperations.Qualify;

    public override string Tag => IntentOperations.Qualify;

    public override string Route => "qualify";

    public static QualifyIntent Intent(QualificationRequest request, bool protect)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new QualifyIntent(request.CugId, request.BillingAccount, request.CompanyName, request.CompanyDomain, request.CustomerGroup) { Protect = protect };
    }

    public override QualifyIntent Decode(IntentRecord intent) =>
        new(Get(intent, "cugId"), Get(intent, "billingAccount"), Get(intent, "companyName"), Get(intent, "companyDomain"), Get(intent, "customerGroup"))
        {
            Protect = Flag(intent, "protect"),
        };

    /// <summary>Asks BT to qualify the company; a refusal is an <see cref="OperationFailedException"/> (BT made nothing).</summary>
    public override async Task<QualificationResult> CallAsync(IWhcApi api, CompanyState state, IntentRecord intent, QualifyIntent payload, NoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(payload);
        var request = new QualificationRequest(
            payload.CugId ?? string.Empty, payload.BillingAccount ?? string.Empty, payload.CompanyName ?? string.Empty, payload.CompanyDomain ?? string.Empty, payload.CustomerGroup ?? string.Empty);
        var result = await api.QualifyAsync(request, cancellationToken);
        return result.Qualified
            ? result
            : throw new OperationFailedException($"BT did not qualify company {request.CompanyName}: {result.Reason ?? "no reason given"}");
    }

    /// <summary>The company as state knows it, else as the intent names it (state's record wins: it is what BT was last read by).</summary>
    public override BtQuestions Questions(CompanyState state, IntentRecord intent, QualifyIntent payload)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(payload);
        var cugId = state.Record?.CugId ?? payload.CugId;
        var name = state.Record?.Name ?? payload.CompanyName;
        return cugId is null || name is null ? BtQuestions.None : BtQuestions.ReadCompany(new CompanyQuestion(cugId, name));
    }

    public override Recognition<QualificationResult> Recognise(CompanyState state, IntentRecord intent, QualifyIntent payload, IntentAnswers answers, Claims claims)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(claims);
        if (!answers.CompanyAsked)
        {
            // Fail closed: with the company unread, "not found" would qualify it again.
            return Recognition.Unknown<QualificationResult>("qualify: BT was not asked (the intent, from an older whcctl, does not say which company it was for)");
        }

        var company = answers.Company;
        if (company is not { Status: CompanyStatus.Qualified, QualificationId: { } id } || company.IsRegisteredElsewhere || id == claims.QualificationId)
        {
            return Recognition.NotFound<QualificationResult>("qualify: BT holds no newer qualification of the company; the call did not go through");
        }

        if (state.Record is null && (payload.CugId is null || payload.CompanyName is null))
        {
            return Recognition.Unknown<QualificationResult>($"qualify: BT holds qualification {id}, but the intent (from an older whcctl) does not say which company it was for");
        }

        return Recognition.Found(new QualificationResult(id, true, company.ServiceId, null, null), $"qualify: BT holds qualification {id}; recorded");
    }

    /// <summary>
    /// The qualification (expiring 23:59 UK time on the day the intent was written, unless BT said when) and the
    /// company's service id. A company recorded here for the first time takes its names and protect flag from the intent;
    /// a recorded result never lowers protection (only an apply of a manifest does, once BT has done its orders).
    /// </summary>
    public override CompanyState Record(CompanyState state, IntentRecord intent, QualifyIntent payload, QualificationResult result)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(intent);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(result);
        var qualification = new QualificationRecord(result.Id, result.ExpiresAt ?? QualificationExpiry.For(intent.StartedAt), false);
        var record = state.Record is null
            ? new CompanyRecord(
                payload.CompanyName ?? string.Empty, payload.CompanyDomain ?? string.Empty, payload.CustomerGroup ?? string.Empty,
                payload.CugId ?? string.Empty, payload.BillingAccount ?? string.Empty, result.CompanyServiceId, qualification, false)
            {
                Protected = payload.Protect == true,
            }
            : state.Record with
            {
                ServiceId = result.CompanyServiceId ?? state.Record.ServiceId,
                Qualification = qualification,
                Protected = state.Record.Protected || payload.Protect == true,
            };
        return state with { Record = record };
    }
}
