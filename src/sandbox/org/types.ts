/** An organisation as written in a `dingcast sandbox --directory FILE` (YAML or JSON): departments with their members. */
export interface OrgFile {
  name?: string;
  departments: OrgDepartment[];
  /** People who left: not in the directory (their ids are invalid, their mobiles find nobody), kept for the record. */
  left?: OrgMember[];
}

export interface OrgDepartment {
  id: number;
  name: string;
  /** Absent for the root department (id 1). */
  parent_id?: number;
  members?: OrgMember[];
}

export interface OrgMember {
  userid: string;
  name: string;
  mobile?: string;
  title?: string;
}
