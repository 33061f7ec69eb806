using System.Collections.Immutable;
using Whc.Declarative.Core.Diagnostics;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

// The company pass: create the company, or check the one BT holds against the manifest (BT cannot change its name,
// domain or customer group), and say when its name or domain is taken at BT.
internal sealed partial class CompanyPlanner
{
    private (bool IsNew, PlanPart Part) PlanCompany(InFlightOrders inFlight)
    {
        var part = new PartBuilder();
        var details = desired.Company;
        var address = ResourceAddress.ForCompany(company);
        if (!view.CompanyActive)
        {
            var inventory = input.Refresh?.Inventory;
            var ours = Ownership.IsOurs(input.State, inventory);
            if (inventory is not null && !ours && inventory.Status != Inventory.CompanyStatus.Ceased)
            {
                part.Diagnostics.Add(inventory.IsRegisteredElsewhere
                    ? DiagnosticCatalog.CompanyAlreadyRegisteredElsewhere.At(desired.Span, details.Name)
                    : DiagnosticCatalog.CompanyAlreadyRegisteredNotInState.At(desired.Span, details.Name, company, desired.Span.File));
            }

            if (input.Refresh?.DomainTaken == true && !ours)
            {
                part.Diagnostics.Add(DiagnosticCatalog.DomainAlreadyRegisteredAtBt.At(desired.Span, details.Domain));
            }

            if (!inFlight.Contains(address))
            {
                part.Changes.Add(new ResourceChange(address, ChangeAction.Create, input.State?.Record?.Active == true ? "ceased at BT outside whcctl: made again, with a new qualification" : "new company", Planner.Diff([], CompanyAttributes(details))));
                part.Structural.Add(new OrderOperation(address, OrderOperationKind.Add));
            }

            var qualification = view.Qualification;
            if (qualification?.ExpiresAt is { } expires && expires > now && expires - now < options.QualificationWarningWindow)
            {
                part.Diagnostics.Add(DiagnosticCatalog.QualificationExpiresAt.At(desired.Span, qualification.Id, expires));
            }

            return (true, part.ToPart());
        }

        var record = view.Record;
        var before = record is null ? [] : CompanyAttributes(new CompanyDetails(record.Name, record.Domain, record.CustomerGroup, null, null));
        var diff = Planner.Diff(before, CompanyAttributes(details));
        foreach (var change in diff)
        {
            part.Diagnostics.Add(DiagnosticCatalog.ImmutableCompanyField.At(desired.Span, company, change));
        }

        part.Changes.Add(Unchanged(address, view.Record?.Protected == true, desired.Protect));
        return (false, part.ToPart());
    }

    private static ImmutableArray<NamedValue> CompanyAttributes(CompanyDetails details) =>
        [new("name", AttributeValue.Text(details.Name)), new("domain", AttributeValue.Text(details.Domain)), new("customerGroup", AttributeValue.Text(details.CustomerGroup))];
}
