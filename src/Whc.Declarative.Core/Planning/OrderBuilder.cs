using System.Collections.Immutable;
using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Planning;

/// <summary>
/// Turns a planned order (operations in domain words) into the product-order tree BT expects, filling in the ids that
/// earlier steps recorded in state: qualification, service ids, NAD keys, ringfenced ranges and directory numbers.
/// Characteristic names live here and in <see cref="WhcProducts"/> only.
/// </summary>
public static class OrderBuilder
{
    public static OrderRequest Build(
        string externalId,
        CompanyManifest? desired,
        CompanyState state,
        ImmutableArray<OrderOperation> operations,
        IReadOnlyDictionary<string, string> planNadKeys,
        IReadOnlyDictionary<string, string>? reservedNumbers = null)
    {
        var record = state.Record ?? throw new OrderBuildException("the company has no record in state yet (it must be qualified first)");
        var companyOperation = operations.FirstOrDefault(o => o.Address.Kind == ResourceKind.Company);
        var children = ImmutableArray.CreateBuilder<OrderItem>();

        foreach (var operation in operations.Where(o => o.Address.Kind == ResourceKind.NumberBlock))
        {
            children.AddRange(NumberItems(desired, state, operation));
        }

        var numbers = desired is null
            ? ImmutableDictionary<string, string>.Empty
            : NumberAssignment.Assign(desired, RangesByBlock(state), HeldNumbers(state, reservedNumbers));
        var userOperations = operations.Where(o => o.Address.Kind == ResourceKind.User).ToList();
        var siteOperations = operations.Where(o => o.Address.Kind == ResourceKind.Site).ToDictionary(o => o.Address.Name, StringComparer.Ordinal);
        var usersBySite = userOperations
            .GroupBy(o => SiteOf(desired, state, o))
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        foreach (var siteName in siteOperations.Keys.Union(usersBySite.Keys).Order(StringComparer.Ordinal))
        {
            var users = usersBySite.GetValueOrDefault(siteName, []).Select(o => UserItem(desired, state, o, numbers)).ToImmutableArray();
            children.Add(siteOperations.TryGetValue(siteName, out var siteOperation)
                ? SiteItem(desired, state, siteOperation, planNadKeys, users)
                : Item(WhcProducts.Site, OrderItemAction.NoChange, SiteServiceId(state, siteName), NoCharacteristics, children: users));
        }

        var root = companyOperation?.Kind switch
        {
            OrderOperationKind.Add => Item(
                WhcProducts.Company,
                OrderItemAction.Add,
                record.ServiceId,
                CompanyCharacteristics(Required(desired)),
                qualificationId: record.Qualification?.Id,
                children: children.ToImmutable()),
            OrderOperationKind.Cease => Item(WhcProducts.Company, OrderItemAction.Delete, Required(record.ServiceId, "company service id"), NoCharacteristics, children: children.ToImmutable()),
            _ => Item(WhcProducts.Company, OrderItemAction.NoChange, Required(record.ServiceId, "company service id"), NoCharacteristics, children: children.ToImmutable()),
        };
        return new OrderRequest(externalId, record.CugId, record.BillingAccount, root);
    }

    public static ImmutableDictionary<string, ImmutableArray<NumberRange>> RangesByBlock(CompanyState state) =>
        state.NumberBlocks.ToImmutableDictionary(
            b => b.Name,
            b => b.Ranges.Select(r => new NumberRange(r.StartNumber, r.EndNumber)).ToImmutableArray(),
            StringComparer.Ordinal);

    /// <summary>Numbers nobody else may get: those users hold now, and those the plan reserved for users it ceases.</summary>
    public static ImmutableDictionary<string, string> HeldNumbers(CompanyState state, IReadOnlyDictionary<string, string>? reserved = null)
    {
        var held = state.Users.Where(u => u.DirectoryNumber is not null)
            .ToDictionary(u => u.Username, u => u.DirectoryNumber ?? string.Empty, StringComparer.Ordinal);
        foreach (var (username, number) in reserved ?? ImmutableDictionary<string, string>.Empty)
        {
            held.TryAdd(username, number);
        }

        return held.ToImmutableDictionary(StringComparer.Ordinal);
    }

    private static IEnumerable<OrderItem> NumberItems(CompanyManifest? desired, CompanyState state, OrderOperation operation)
    {
        var block = state.NumberBlocks.FirstOrDefault(b => b.Name == operation.Address.Name)
            ?? throw new OrderBuildException($"number block '{operation.Address.Name}' has no ringfenced numbers in state");
        // Ported ranges are their own product under the company (BT's product tree), ordered the same way.
        var offering = block.Ported ? WhcProducts.PortedNumber : WhcProducts.NewNumber;
        if (operation.Kind == OrderOperationKind.Cease)
        {
            return block.Ranges.Where(r => r.ServiceId is not null).Select(r => Item(offering, OrderItemAction.Delete, r.ServiceId, NoCharacteristics));
        }

        var extra = desired?.NumberBlocks.FirstOrDefault(b => b.Name == block.Name)?.Characteristics ?? ExtraCharacteristics.None;
        return block.Ranges.Where(r => !r.Active).Select(r => Item(
            offering,
            OrderItemAction.Add,
            null,
            Characteristics(("startNumber", r.StartNumber), ("endNumber", r.EndNumber)).SetItems(extra)));
    }

    private static string SiteOf(CompanyManifest? desired, CompanyState state, OrderOperation userOperation)
    {
        // A cease goes under the site the user is in now; an add or modify under the site the manifest puts it in.
        if (userOperation.Kind == OrderOperationKind.Cease)
        {
            return state.Users.FirstOrDefault(u => u.Username == userOperation.Address.Name)?.Site
                ?? throw new OrderBuildException($"user '{userOperation.Address.Name}' to cease is not in state");
        }

        return Required(desired).AllUsers().FirstOrDefault(p => p.User.Username == userOperation.Address.Name).Site?.Name
            ?? throw new OrderBuildException($"user '{userOperation.Address.Name}' is not in the manifest");
    }

    private static OrderItem SiteItem(CompanyManifest? desired, CompanyState state, OrderOperation operation, IReadOnlyDictionary<string, string> planNadKeys, ImmutableArray<OrderItem> users)
    {
        var name = operation.Address.Name;
        if (operation.Kind == OrderOperationKind.Cease)
        {
            return Item(WhcProducts.Site, OrderItemAction.Delete, SiteServiceId(state, name), NoCharacteristics, children: users);
        }

        var site = Required(desired).Sites.FirstOrDefault(s => s.Name == name) ?? throw new OrderBuildException($"site '{name}' is not in the manifest");
        var nadKey = site.Address.NadKey
            ?? state.Sites.FirstOrDefault(s => s.Name == name && s.NadKey.Length > 0)?.NadKey
            ?? planNadKeys.GetValueOrDefault(name)
            ?? throw new OrderBuildException($"site '{name}' has no address (NAD key) yet");
        return Item(
            WhcProducts.Site,
            OrderItemAction.Add,
            null,
            Characteristics(("siteName", site.Name), ("siteLocationCode", site.LocationCode)).SetItems(site.Characteristics),
            placeId: nadKey,
            children: users);
    }

    private static OrderItem UserItem(CompanyManifest? desired, CompanyState state, OrderOperation operation, ImmutableDictionary<string, string> numbers)
    {
        var username = operation.Address.Name;
        if (operation.Kind == OrderOperationKind.Cease)
        {
            var existing = state.Users.FirstOrDefault(u => u.Username == username);
            return Item(WhcProducts.User, OrderItemAction.Delete, Required(existing?.ServiceId, $"service id of user '{username}'"), NoCharacteristics);
        }

        var user = Required(desired).AllUsers().First(p => p.User.Username == username).User;
        string? number = null;
        if (user.Number is not null && !numbers.TryGetValue(username, out number))
        {
            throw new OrderBuildException($"no free number in block '{user.Number.From}' for user '{username}'");
        }

        // A modify changes only the characteristics it carries, so one the user should no longer have (a number, its
        // phones) is sent empty to clear it; an add simply leaves it out.
        var none = operation.Kind == OrderOperationKind.Modify ? string.Empty : null;
        var characteristics = new List<(string, string?)>
        {
            ("firstName", user.FirstName),
            ("lastName", user.LastName),
            ("username", user.Username),
            ("extension", user.Extension),
            ("directoryNumber", number ?? none),
            ("licence", user.Licence),
            ("macAddress", user.Devices.IsDefaultOrEmpty ? none : string.Join(',', user.Devices.Select(d => d.MacAddress).Order(StringComparer.Ordinal))),
        };
        var serviceId = operation.Kind == OrderOperationKind.Modify
            ? Required(state.Users.FirstOrDefault(u => u.Username == username)?.ServiceId, $"service id of user '{username}'")
            : null;
        var all = Characteristics([.. characteristics]);
        return operation.Kind == OrderOperationKind.Modify
            ? Item(WhcProducts.User, OrderItemAction.Modify, serviceId, all)
            : Item(WhcProducts.User, OrderItemAction.Add, serviceId, all.SetItems(user.Characteristics));
    }

    private static ImmutableSortedDictionary<string, string> CompanyCharacteristics(CompanyManifest desired)
    {
        var company = desired.Company;
        return Characteristics(
            ("customerName", company.Name),
            ("customerDomain", company.Domain),
            ("customerGroup", company.CustomerGroup),
            ("adminName", company.Admin?.Name),
            ("adminEmail", company.Admin?.Email),
            ("adminPhone", company.Admin?.Phone),
            ("emergencyContactName", company.EmergencyContact?.Name),
            ("emergencyContactEmail", company.EmergencyContact?.Email),
            ("emergencyContactPhone", company.EmergencyContact?.Phone)).SetItems(company.Characteristics);
    }

    private static readonly ImmutableSortedDictionary<string, string> NoCharacteristics = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    private static string SiteServiceId(CompanyState state, string site) =>
        Required(state.Sites.FirstOrDefault(s => s.Name == site)?.ServiceId, $"service id of site '{site}'");

    /// <summary>Adding or changing needs the manifest; ceasing (destroy) does not.</summary>
    private static CompanyManifest Required(CompanyManifest? desired) =>
        desired ?? throw new OrderBuildException("adding or changing resources needs the company's manifest, and the plan has none");

    private static string Required(string? value, string what) =>
        value ?? throw new OrderBuildException($"{what} is not known yet");

    private static ImmutableSortedDictionary<string, string> Characteristics(params (string Name, string? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).ToImmutableSortedDictionary(p => p.Name, p => p.Value ?? string.Empty, StringComparer.Ordinal);

    private static OrderItem Item(
        string offering,
        OrderItemAction action,
        string? serviceId,
        ImmutableSortedDictionary<string, string> characteristics,
        string? placeId = null,
        string? qualificationId = null,
        ImmutableArray<OrderItem> children = default) =>
        new(offering, action, serviceId, characteristics, placeId, qualificationId, children.IsDefault ? [] : children);
}

/// <summary>An order cannot be built because an id it needs has not been recorded; a bug or a damaged state.</summary>
public sealed class OrderBuildException : Exception
{
    public OrderBuildException(string message)
        : base(message)
    {
    }

    public OrderBuildException()
    {
    }

    public OrderBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
